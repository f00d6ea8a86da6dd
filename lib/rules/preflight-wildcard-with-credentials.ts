import { isSafelistedMethod } from '../cors/request-headers';
import type { RuleContext } from './context';
import { defineRule, NO_FINDINGS, type RawFinding } from './define';
import { allowList, decidingPreflightIndex, hasPreflight, pathOf, preflightBlock, sentHeaderName } from './support/preflight';

const ALLOW_METHODS = 'Access-Control-Allow-Methods';
const ALLOW_HEADERS = 'Access-Control-Allow-Headers';

type MessageId = 'methods-wildcard' | 'ineffective-wildcard';

/** What the wildcard should have been: the names this record actually needs. */
function explicitNames(context: RuleContext, header: string): string {
  if (header === ALLOW_METHODS) {
    const method = context.requirement.method;
    return isSafelistedMethod(method) ? '' : method;
  }
  return context.requirement.headers.map((name) => sentHeaderName(context, name)).join(', ');
}

export default defineRule<MessageId>({
  id: 'preflight-wildcard-with-credentials',
  title: 'Credentialed preflight lists methods and headers by name',
  failureTitle: 'Credentialed preflight relies on `*` in Access-Control-Allow-Methods or -Headers',
  severity: 'error',
  docsUrl: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
  messages: {
    'methods-wildcard': (d) =>
      `The request uses ${d.method} with credentials; the preflight answers \`Access-Control-Allow-Methods: ${d.allowMethods}\`, and with credentials \`*\` does not cover ${d.method}, so the browser blocks the stream.`,
    'ineffective-wildcard': (d) =>
      `The credentialed preflight answers \`${d.header}: ${d.value}\`; with credentials \`*\` matches nothing. Nothing needed it this time, but any new ${d.header === ALLOW_METHODS ? 'method' : 'request header'} will be blocked.`,
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: (context) => hasPreflight(context) && context.record.client.credentials === 'include',
  check(context) {
    const findings: RawFinding<MessageId>[] = [];
    const methodBlock = preflightBlock(context, ['MethodDisallowedByPreflightResponse'], ['CORSMethodNotFound']);
    // A header block caused by `*` is preflight-header-not-allowed's 'wildcard-with-credentials'.
    const headerBlock = preflightBlock(context, ['HeaderDisallowedByPreflightResponse'], ['CORSMissingAllowHeaderFromPreflight']);
    const index = methodBlock?.index ?? headerBlock?.index ?? decidingPreflightIndex(context);
    if (index === null) return NO_FINDINGS;
    const headers = context.headers(index);

    if (allowList(context, index, ALLOW_METHODS).includes('*')) {
      const value = headers.get(ALLOW_METHODS) ?? '';
      const evidence = [context.responseHeaderEvidence(index, ALLOW_METHODS)];
      if (methodBlock) {
        findings.push({ messageId: 'methods-wildcard', data: { method: context.requirement.method, allowMethods: value, browsers: methodBlock.browsers }, evidence });
      } else {
        findings.push({ messageId: 'ineffective-wildcard', data: { header: ALLOW_METHODS, value }, evidence, severity: 'warning' });
      }
    }
    if (!headerBlock && allowList(context, index, ALLOW_HEADERS).includes('*')) {
      findings.push({
        messageId: 'ineffective-wildcard',
        data: { header: ALLOW_HEADERS, value: headers.get(ALLOW_HEADERS) ?? '' },
        evidence: [context.responseHeaderEvidence(index, ALLOW_HEADERS)],
        severity: 'warning',
      });
    }
    return findings;
  },
  fix(context, finding) {
    const path = pathOf(context.record.url);
    if (finding.messageId === 'methods-wildcard') {
      return { summary: `Name the method on the \`OPTIONS ${path}\` answer: \`${ALLOW_METHODS}: ${finding.data.method}\` instead of \`*\`.` };
    }
    const header = String(finding.data.header);
    const names = explicitNames(context, header);
    if (names === '') return { summary: `Drop \`*\` from ${header} on the \`OPTIONS ${path}\` answer (nothing this stream sends needs it), and list names explicitly when one is needed.` };
    return { summary: `Replace \`*\` with names on the \`OPTIONS ${path}\` answer: \`${header}: ${names}\`.` };
  },
});

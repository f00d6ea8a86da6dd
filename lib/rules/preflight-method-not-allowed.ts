import { defineRule, NO_FINDINGS } from './define';
import { allowList, hasPreflight, pathOf, preflightAnswer, preflightBlock } from './support/preflight';

const ALLOW_METHODS = 'Access-Control-Allow-Methods';

export default defineRule<'not-allowed' | 'case-mismatch'>({
  id: 'preflight-method-not-allowed',
  title: 'Preflight allows the request method',
  failureTitle: 'The request method is not in Access-Control-Allow-Methods',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMethodNotFound',
  messages: {
    'not-allowed': (d) =>
      d.allowMethods === ''
        ? `The request uses ${d.method}, but the preflight answer has no Access-Control-Allow-Methods, so the browser blocks the stream.`
        : `The request uses ${d.method}, but the preflight allows only \`${d.allowMethods}\`, so the browser blocks the stream.`,
    'case-mismatch': (d) =>
      `The request uses ${d.method} and the preflight lists \`${d.listed}\`: methods are compared case-sensitively, so the browser blocks the stream.`,
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: hasPreflight,
  check(context) {
    const block = preflightBlock(context, ['MethodDisallowedByPreflightResponse'], ['CORSMethodNotFound']);
    if (!block) return NO_FINDINGS;
    const items = allowList(context, block.index, ALLOW_METHODS);
    // A `*` refused because of credentials is preflight-wildcard-with-credentials's finding.
    if (context.record.client.credentials === 'include' && items.includes('*')) return NO_FINDINGS;
    const method = context.requirement.method;
    const allowMethods = context.headers(block.index).get(ALLOW_METHODS) ?? '';
    const listed = items.find((item) => item.toUpperCase() === method.toUpperCase());
    const data = { method, allowMethods, browsers: block.browsers };
    const evidence = [context.responseHeaderEvidence(block.index, ALLOW_METHODS)];
    if (listed !== undefined) return [{ messageId: 'case-mismatch', data: { ...data, listed }, evidence }];
    return [{ messageId: 'not-allowed', data, evidence }];
  },
  fix(context, finding) {
    const method = String(finding.data.method);
    const path = pathOf(context.record.url);
    if (finding.messageId === 'case-mismatch') {
      const upper = method.toUpperCase();
      // Only the client can fix a lower-case custom method: servers and proxies expect upper case.
      if (method !== upper) {
        return { summary: `Send the method in upper case (\`method: '${upper}'\`) and list \`Access-Control-Allow-Methods: ${upper}\` on \`OPTIONS ${path}\`.` };
      }
      return { summary: `List the method exactly as sent: \`Access-Control-Allow-Methods: ${method}\` on \`OPTIONS ${path}\`.` };
    }
    return {
      summary: `Add ${method} to Access-Control-Allow-Methods on the \`OPTIONS ${path}\` answer (${preflightAnswer(context)}), or open the stream with GET.`,
    };
  },
});

import { defineRule, NO_FINDINGS } from './define';
import { allowList, hasPreflight, pathOf, preflightBlock, sentHeaderName } from './support/preflight';

const ALLOW_HEADERS = 'Access-Control-Allow-Headers';

export default defineRule<'missing' | 'wildcard-with-credentials'>({
  id: 'preflight-header-not-allowed',
  title: 'Preflight allows every request header the client sets',
  failureTitle: 'A request header is not in Access-Control-Allow-Headers',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowHeaderFromPreflight',
  messages: {
    missing: (d) =>
      d.allowHeaders === ''
        ? `The request sends \`${d.header}\`, but the preflight answer has no Access-Control-Allow-Headers, so the browser blocks the stream.`
        : `The request sends \`${d.header}\`, but the preflight allows only \`${d.allowHeaders}\`, so the browser blocks the stream.`,
    'wildcard-with-credentials': (d) =>
      `The request sends \`${d.header}\` with credentials; the preflight answers \`Access-Control-Allow-Headers: ${d.allowHeaders}\`, and with credentials \`*\` is just a header named "*", so the browser blocks the stream.`,
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: hasPreflight,
  check(context) {
    const block = preflightBlock(context, ['HeaderDisallowedByPreflightResponse'], ['CORSMissingAllowHeaderFromPreflight']);
    if (!block) return NO_FINDINGS;
    const items = allowList(context, block.index, ALLOW_HEADERS);
    const credentialed = context.record.client.credentials === 'include';
    // With credentials `*` is a literal name, never a wildcard (Fetch "CORS-preflight fetch", step 7.8).
    const listed = new Set(items.filter((item) => item !== '*' || credentialed).map((item) => item.toLowerCase()));
    const missing = context.requirement.headers.filter((name) => !listed.has(name));
    // Chromium names the header it stopped at; Firefox's verdict does not, so recompute it.
    const header = block.failedParameter || missing[0] || (context.requirement.headers[0] ?? '');
    return [
      {
        messageId: credentialed && items.includes('*') ? 'wildcard-with-credentials' : 'missing',
        data: {
          header,
          missing: missing.join(', '),
          allowHeaders: context.headers(block.index).get(ALLOW_HEADERS) ?? '',
          browsers: block.browsers,
        },
        evidence: [context.responseHeaderEvidence(block.index, ALLOW_HEADERS)],
      },
    ];
  },
  fix(context, finding) {
    const path = pathOf(context.record.url);
    const names = context.requirement.headers.map((name) => sentHeaderName(context, name)).join(', ');
    if (finding.messageId === 'wildcard-with-credentials') {
      return { summary: `Replace \`*\` with the header names on the \`OPTIONS ${path}\` answer: \`Access-Control-Allow-Headers: ${names}\` (a wildcard does not count with credentials).` };
    }
    const missing = String(finding.data.missing || finding.data.header)
      .split(', ')
      .map((name) => sentHeaderName(context, name));
    return {
      summary: `List ${missing.map((name) => `\`${name}\``).join(', ')} on the \`OPTIONS ${path}\` answer: \`Access-Control-Allow-Headers: ${names}\`, or stop sending ${missing.length > 1 ? 'these headers' : 'the header'} from the client.`,
    };
  },
});

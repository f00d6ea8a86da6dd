import { authorizationOnlyCoveredByWildcard } from '../cors/preflight-check';
import { defineRule, NO_FINDINGS } from './define';
import { decidingPreflightIndex, hasPreflight, pathOf, sentHeaderName } from './support/preflight';

const ALLOW_HEADERS = 'Access-Control-Allow-Headers';

export default defineRule<'authorization-wildcard'>({
  id: 'preflight-authorization-only-by-wildcard',
  title: 'Preflight lists Authorization explicitly',
  failureTitle: 'Authorization is allowed only through `Access-Control-Allow-Headers: *`',
  severity: 'warning',
  docsUrl: 'https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name',
  messages: {
    'authorization-wildcard': (d) =>
      `The request sends Authorization and the preflight for ${d.url} answers \`Access-Control-Allow-Headers: ${d.allowHeaders}\`. Browsers accept this today against the standard (Chromium reports a deprecation, Firefox logs a Cross-Origin Request Warning) and will block it once they follow it.`,
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: (context) => hasPreflight(context) && context.requirement.headers.includes('authorization'),
  check(context) {
    const index = decidingPreflightIndex(context);
    const exchange = index === null ? undefined : context.record.exchanges[index];
    if (index === null || !exchange || exchange.status === null) return NO_FINDINGS;
    const headers = context.headers(index);
    if (!authorizationOnlyCoveredByWildcard({ status: exchange.status, headers }, context.record.client.credentials, context.requirement)) return NO_FINDINGS;
    return [
      {
        messageId: 'authorization-wildcard',
        data: { url: exchange.url, allowHeaders: headers.get(ALLOW_HEADERS) ?? '' },
        evidence: [context.responseHeaderEvidence(index, ALLOW_HEADERS)],
      },
    ];
  },
  fix(context) {
    const names = context.requirement.headers.map((name) => sentHeaderName(context, name));
    // Keep `*` for anything else the server relies on; it is only Authorization that it can never cover.
    const listed = ['Authorization', ...names.filter((name) => name.toLowerCase() !== 'authorization')].join(', ');
    return { summary: `List Authorization by name on the \`OPTIONS ${pathOf(context.record.url)}\` answer: \`${ALLOW_HEADERS}: ${listed}\`.` };
  },
});

import { defineRule, NO_FINDINGS } from './define';
import { chromiumBlock } from './helpers';

export default defineRule<'wildcard' | 'preflight-wildcard'>({
  id: 'acao-wildcard-with-credentials',
  title: 'Credentialed stream names its origin explicitly',
  failureTitle: 'Access-Control-Allow-Origin is `*` on a credentialed request',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSNotSupportingCredentials',
  messages: {
    wildcard: (d) => `${d.url} answered \`Access-Control-Allow-Origin: *\`, but the request carries credentials, so the browser blocks it.`,
    'preflight-wildcard': (d) => `The preflight for ${d.url} answered \`Access-Control-Allow-Origin: *\`, which is refused when the request carries credentials.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin && context.record.client.credentials === 'include',
  check(context) {
    const block = chromiumBlock(context, ['WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed']);
    if (!block) return NO_FINDINGS;
    return [
      {
        messageId: block.corsError === 'PreflightWildcardOriginNotAllowed' ? 'preflight-wildcard' : 'wildcard',
        data: { url: block.exchange.url, origin: context.record.pageOrigin },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix: (context) => ({
    summary: `Replace \`*\` with \`${context.record.pageOrigin}\` chosen from an allowlist, and send \`Access-Control-Allow-Credentials: true\`.`,
  }),
});

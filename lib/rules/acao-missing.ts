import { defineRule, NO_FINDINGS } from './define';
import { chromiumBlock } from './helpers';

const MDN = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin';

export default defineRule<'missing' | 'preflight'>({
  id: 'acao-missing',
  title: 'Cross-origin stream sends Access-Control-Allow-Origin',
  failureTitle: 'Access-Control-Allow-Origin is missing',
  severity: 'error',
  docsUrl: MDN,
  messages: {
    missing: (d) => `The response from ${d.url} has no Access-Control-Allow-Origin header, so the browser refuses to let ${d.origin} read the stream.`,
    preflight: (d) =>
      `The preflight (OPTIONS) for ${d.url} was answered without Access-Control-Allow-Origin (status ${d.status}): the browser never sends the stream request. Usually no CORS middleware handles OPTIONS on this route.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const preflight = chromiumBlock(context, ['PreflightMissingAllowOriginHeader']);
    if (preflight) {
      return [
        {
          messageId: 'preflight',
          data: { url: preflight.exchange.url, origin: context.record.pageOrigin, status: preflight.exchange.status ?? 0 },
          evidence: [context.responseHeaderEvidence(preflight.index, 'Access-Control-Allow-Origin')],
        },
      ];
    }
    const block = chromiumBlock(context, ['MissingAllowOriginHeader']);
    // Error statuses and redirect hops have rules of their own: the cure lives elsewhere there.
    if (!block || block.exchange.kind !== 'response' || (block.exchange.status ?? 0) >= 400) return NO_FINDINGS;
    return [
      {
        messageId: 'missing',
        data: { url: block.exchange.url, origin: context.record.pageOrigin },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix: (context, finding) => ({
    summary:
      finding.messageId === 'preflight'
        ? `Answer OPTIONS on this route with 204 and \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\` (from an allowlist) plus the allowed methods and headers, before any auth or routing that would refuse it.`
        : `Send \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\` (from an allowlist, with \`Vary: Origin\`) on the stream response.`,
  }),
});

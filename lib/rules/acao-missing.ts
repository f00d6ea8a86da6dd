import { defineRule } from './define';
import { chromiumBlock } from './helpers';

const MDN = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin';

export default defineRule<'missing'>({
  id: 'acao-missing',
  title: 'Cross-origin stream sends Access-Control-Allow-Origin',
  failureTitle: 'Access-Control-Allow-Origin is missing',
  severity: 'error',
  description:
    'A cross-origin stream must answer with Access-Control-Allow-Origin naming the page origin (or `*` without credentials); without it the browser blocks the stream at the handshake.',
  docsUrl: MDN,
  messages: {
    missing: (d) => `The response from ${d.url} has no Access-Control-Allow-Origin header, so the browser refuses to let ${d.origin} read the stream.`,
  },
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['MissingAllowOriginHeader']);
    // Error statuses and redirect hops have rules of their own: the cure lives elsewhere there.
    if (!block || block.exchange.kind !== 'response' || (block.exchange.status ?? 0) >= 400) return [];
    return [
      {
        messageId: 'missing',
        data: { url: block.exchange.url, origin: context.record.pageOrigin },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix: (context) => ({
    summary: `Send \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\` (from an allowlist, with \`Vary: Origin\`) on the stream response.`,
  }),
});

import { defineRule, NO_FINDINGS } from './define';
import { chromiumBlock } from './helpers';

export default defineRule<'error-status'>({
  id: 'acao-missing-on-error-response',
  title: 'Error responses carry CORS headers too',
  failureTitle: 'An error response has no Access-Control-Allow-Origin',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin',
  messages: {
    'error-status': (d) =>
      `${d.url} answered ${d.status} without Access-Control-Allow-Origin. The browser reports it as a missing-header CORS error and hides the ${d.status} from the page; the real problem is whatever caused the ${d.status}, and the CORS headers are missing only because the error path skips them.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['MissingAllowOriginHeader']);
    const status = block?.exchange.status ?? null;
    // Redirect hops are acao-missing-on-redirect's; 2xx answers are acao-missing's.
    if (!block || block.exchange.kind !== 'response' || status === null || status < 400) return NO_FINDINGS;
    return [
      {
        messageId: 'error-status',
        data: { status, url: block.exchange.url, origin: context.record.pageOrigin },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix: (context, finding) => ({
    summary: `Add \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\` (and the other CORS headers) to every response of ${finding.data.url}, errors included: run the CORS middleware before authentication and error handlers, so the page can see the ${finding.data.status} and act on it.`,
  }),
});

import { defineRule, evidence, NO_FINDINGS } from './define';
import { hasPreflight, pathOf, preflightAnswer, preflightBlock } from './support/preflight';

const isAuthStatus = (status: number) => status === 401 || status === 403;
const isRoutingStatus = (status: number) => status === 404 || status === 405 || status === 501;

export default defineRule<'bad-status'>({
  id: 'preflight-status-not-ok',
  title: 'Preflight is answered with a 2xx status',
  failureTitle: 'Preflight (OPTIONS) was answered with a non-2xx status',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSPreflightDidNotSucceed',
  messages: {
    'bad-status': (d) => {
      const status = Number(d.status);
      const why = isAuthStatus(status)
        ? ' Browsers never send cookies or Authorization on a preflight, so authentication must not run on OPTIONS.'
        : isRoutingStatus(status)
          ? ' The server has no OPTIONS handler for this path.'
          : '';
      return `The preflight (OPTIONS ${d.url}) was answered ${d.status}. It carried CORS headers, but the browser requires a 2xx status and blocks the stream.${why}`;
    },
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: hasPreflight,
  check(context) {
    // A non-2xx preflight without CORS headers is reported by Chromium as a missing ACAO (browser-facts §3).
    const block = preflightBlock(context, ['PreflightInvalidStatus'], ['CORSPreflightDidNotSucceed']);
    if (!block || block.exchange.status === null) return NO_FINDINGS;
    const status = block.exchange.status;
    return [
      {
        messageId: 'bad-status',
        data: { status, url: block.exchange.url, browsers: block.browsers },
        evidence: [evidence({ exchangeIndex: block.index, side: 'response', value: String(status), note: 'status' })],
      },
    ];
  },
  fix(context, finding) {
    const status = Number(finding.data.status);
    const path = pathOf(String(finding.data.url));
    const answer = preflightAnswer(context);
    if (isAuthStatus(status)) {
      return { summary: `Answer \`OPTIONS ${path}\` with 204 before authentication runs (exempt OPTIONS from the auth middleware), with ${answer}.` };
    }
    if (isRoutingStatus(status)) {
      return { summary: `Add an \`OPTIONS ${path}\` route (or enable the CORS middleware's preflight handling) that answers 204 with ${answer}.` };
    }
    return { summary: `Answer \`OPTIONS ${path}\` with 204 and ${answer}.` };
  },
});

import { hasListItem } from '../model/headers';
import { isSameOrigin, originOf } from '../model/origin';
import type { RuleContext } from './context';
import { defineRule, NO_FINDINGS } from './define';

/** The final response, when it is cross-origin to the page (directly or after redirects). */
function crossOriginFinal(context: RuleContext): number | null {
  const index = context.finalIndex;
  if (index === null) return null;
  const url = context.record.exchanges[index]?.url ?? context.record.url;
  return context.crossOrigin || !isSameOrigin(originOf(url), context.record.pageOrigin) ? index : null;
}

export default defineRule<'no-vary'>({
  id: 'vary-origin-missing',
  title: 'An origin-specific Access-Control-Allow-Origin comes with Vary: Origin',
  failureTitle: 'Access-Control-Allow-Origin names an origin but Vary lacks Origin',
  severity: 'warning',
  docsUrl: 'https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
  messages: {
    'no-vary': (d) =>
      `The response from ${d.url} answers \`Access-Control-Allow-Origin: ${d.value}\` ${d.vary ? `with \`Vary: ${d.vary}\`, which does not list Origin` : 'without a Vary header'}. A shared cache (CDN, proxy) may store this answer and hand it to a page on another origin, or hand another origin's answer to this page: the stream then fails intermittently with a missing or mismatched Access-Control-Allow-Origin.`,
  },
  appliesTo: (context) => crossOriginFinal(context) !== null,
  check(context) {
    const index = crossOriginFinal(context);
    if (index === null) return NO_FINDINGS;
    // A response the browser never reached (blocked at a preflight or redirect) is not cached for the page.
    const chromium = context.verdicts.chromium;
    if (chromium.outcome === 'blocked' && chromium.exchangeIndex !== index) return NO_FINDINGS;
    const headers = context.headers(index);
    const value = headers.get('access-control-allow-origin');
    // Several values are acao-multiple-values' finding; only one specific origin varies by request.
    if (value === null || value === '*' || headers.count('access-control-allow-origin') > 1 || value.includes(' ') || value.includes(',')) return NO_FINDINGS;
    const vary = headers.get('vary');
    // `Vary: *` already makes every request distinct for a cache.
    if (hasListItem(vary, 'origin') || hasListItem(vary, '*')) return NO_FINDINGS;
    return [
      {
        messageId: 'no-vary',
        data: { value, url: context.record.exchanges[index]?.url ?? context.record.url, vary: vary ?? '' },
        evidence: [context.responseHeaderEvidence(index, 'Vary'), context.responseHeaderEvidence(index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix: (_context, finding) => ({
    summary: `Add \`Vary: Origin\` to every response of ${finding.data.url} whose Access-Control-Allow-Origin is chosen per request${finding.data.vary ? ` (append it to the existing \`Vary: ${finding.data.vary}\`)` : ''}, so caches keep one copy per origin.`,
  }),
});

import type { ChromiumCorsError } from '../cors/vocabulary';
import { isSameOrigin, originOf, resolveLocation } from '../model/origin';
import { defineRule, NO_FINDINGS } from './define';
import { chromiumBlock } from './helpers';

/**
 * Blocks at a redirect hop that no value rule explains. A wrong ACAO value on a 3xx is reported
 * by acao-mismatch, acao-multiple-values, acao-invalid-value, acac-invalid or
 * acao-wildcard-with-credentials, which already point at the redirect exchange.
 */
const REDIRECT_CODES: readonly ChromiumCorsError[] = ['MissingAllowOriginHeader', 'RedirectContainsCredentials'];

/** The redirect target with any user name and password masked, so findings never repeat them. */
function redactedLocation(raw: string, base: string): string {
  const resolved = resolveLocation(raw, base);
  if (resolved === null) return raw;
  const url = new URL(resolved);
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  return url.href;
}

export default defineRule<'redirect-hop'>({
  id: 'acao-missing-on-redirect',
  title: 'Redirects of a cross-origin stream pass the CORS check',
  failureTitle: 'A redirect of a cross-origin stream has no Access-Control-Allow-Origin',
  severity: 'error',
  docsUrl: 'https://fetch.spec.whatwg.org/#http-fetch',
  messages: {
    'redirect-hop': (d) =>
      d.corsError === 'MissingAllowOriginHeader'
        ? `The ${d.status} redirect from ${d.url} to ${d.location} has no Access-Control-Allow-Origin. Browsers CORS-check the redirect itself before following it${d.toPageOrigin ? ', even one back to the page origin' : ''}, so the stream is blocked there and never reaches ${d.location}.`
        : `The ${d.status} redirect from ${d.url} to ${d.location} was refused by Chromium's CORS check (${d.corsError}) before it was followed, so the stream never reaches ${d.location}.`,
  },
  requires: ['redirect'],
  appliesTo: (context) => context.indexesOf('redirect').length > 0,
  check(context) {
    const block = chromiumBlock(context, REDIRECT_CODES);
    if (!block || block.exchange.kind !== 'redirect') return NO_FINDINGS;
    const headers = context.headers(block.index);
    const location = redactedLocation(headers.get('location') ?? '', block.exchange.url);
    const firefox = context.verdicts.firefox;
    return [
      {
        messageId: 'redirect-hop',
        data: {
          status: block.exchange.status ?? 0,
          url: block.exchange.url,
          location,
          corsError: block.corsError,
          firefoxReason: firefox.exchangeIndex === block.index ? (firefox.reason ?? '') : '',
          toPageOrigin: isSameOrigin(originOf(location), context.record.pageOrigin),
        },
        evidence: [
          context.responseHeaderEvidence(block.index, block.corsError === 'MissingAllowOriginHeader' ? 'Access-Control-Allow-Origin' : 'Location'),
          ...(block.corsError === 'MissingAllowOriginHeader' ? [context.responseHeaderEvidence(block.index, 'Location')] : []),
        ],
      },
    ];
  },
  fix(context, finding) {
    if (finding.data.corsError === 'RedirectContainsCredentials') {
      return { summary: `Redirect to ${finding.data.location} without a user name or password in the URL, or point the client at it directly.` };
    }
    return {
      summary: `Send \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\` on the ${finding.data.status} redirect at ${finding.data.url} as well (set the CORS headers before the redirect is issued, including in proxies), or point the client at ${finding.data.location} directly.`,
    };
  },
});

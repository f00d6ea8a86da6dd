import { headerMapOf } from '../model/headers';
import { isSameOrigin, originOf, resolveLocation } from '../model/origin';
import type { Exchange } from '../model/record';
import { defineRule, evidence, NO_FINDINGS, type Evidence } from './define';
import { chromiumBlock } from './helpers';

/** The URLs of the blocked attempt, from the first request to the blocked hop. */
function chain(exchanges: readonly Exchange[], blockedIndex: number): { index: number; exchange: Exchange }[] {
  const attempt = exchanges[blockedIndex]?.attempt;
  return exchanges
    .map((exchange, index) => ({ index, exchange }))
    .filter(({ index, exchange }) => index <= blockedIndex && exchange.attempt === attempt && exchange.kind !== 'preflight');
}

/**
 * The hop that tainted the origin (Fetch "HTTP-redirect fetch": a redirect to another origin
 * from a URL whose origin is not the request's origin), as evidence of its Location line.
 */
function taintingHop(hops: { index: number; exchange: Exchange }[], pageOrigin: string): Evidence | null {
  for (const { index, exchange } of hops) {
    if (exchange.kind !== 'redirect') continue;
    const headers = headerMapOf(exchange.responseHeaders);
    const location = headers.get('location');
    const next = location === null ? null : resolveLocation(location, exchange.url);
    if (next === null) continue;
    const from = originOf(exchange.url);
    if (isSameOrigin(from, originOf(next)) || isSameOrigin(from, pageOrigin)) continue;
    const lineIndex = headers.indexes('location')[0] ?? null;
    const line = lineIndex === null ? undefined : headers.lines[lineIndex];
    return evidence({ exchangeIndex: index, side: 'response', header: line?.[0] ?? 'Location', value: line?.[1] ?? location, lineIndex, note: 'origin becomes null after this hop' });
  }
  return null;
}

export default defineRule<'tainted-origin'>({
  id: 'redirect-null-origin',
  title: 'Redirects keep the request origin',
  failureTitle: 'A cross-origin redirect chain turned the Origin into `null`',
  severity: 'error',
  docsUrl: 'https://fetch.spec.whatwg.org/#serializing-a-request-origin',
  messages: {
    'tainted-origin': (d) =>
      `The stream went ${d.hops}. Because a redirect crossed from one foreign origin to another, the browser sent \`Origin: null\` to ${d.url}, which answered \`Access-Control-Allow-Origin: ${d.value}\`; that does not equal \`null\`, so the browser blocks the stream.`,
  },
  requires: ['redirect'],
  appliesTo: (context) => context.indexesOf('redirect').length > 0,
  check(context) {
    const { record } = context;
    const block = chromiumBlock(context, ['AllowOriginMismatch']);
    // A sandboxed page's own origin is `null` too; only a tainting redirect is this rule's business.
    if (!block || context.verdicts.chromium.requestOrigin !== 'null' || record.pageOrigin === 'null') return NO_FINDINGS;
    const hops = chain(record.exchanges, block.index);
    const taint = taintingHop(hops, record.pageOrigin);
    return [
      {
        messageId: 'tainted-origin',
        data: {
          value: block.failedParameter,
          hops: hops.map(({ exchange }) => exchange.url).join(' -> '),
          url: block.exchange.url,
          pageOrigin: record.pageOrigin,
          credentials: record.client.credentials === 'include',
        },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin'), ...(taint ? [taint] : [])],
      },
    ];
  },
  fix(context, finding) {
    const url = String(finding.data.url);
    const alternative = finding.data.credentials
      ? ' With credentials `*` is refused, so removing the redirect is the fix.'
      : ` Or, if the stream is public, have ${originOf(url)} answer \`Access-Control-Allow-Origin: *\` (no credentials).`;
    return {
      summary: `Point the client at ${url} directly instead of ${context.record.url}, so no redirect crosses from one foreign origin to another and the browser keeps sending \`Origin: ${context.record.pageOrigin}\`.${alternative}`,
    };
  },
});

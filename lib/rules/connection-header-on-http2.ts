import type { Exchange } from '../model/record';
import { defineRule, NO_FINDINGS, type Evidence } from './define';

/** RFC 9113 §8.2.2 / RFC 9114 §4.2: connection-specific fields are malformed in HTTP/2 and HTTP/3. */
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

export function isHttp2OrLater(version: string | null): boolean {
  // Nearly every exchange says HTTP/1.1: answer that without trimming and matching.
  if (version === 'HTTP/1.1') return false;
  return version !== null && /^(h[23](c|-\d+)?|http\/[23](\.0)?)$/i.test(version.trim());
}

// One predicate for every record, not a closure made per call.
const overHttp2OrLater = (exchange: Exchange): boolean => isHttp2OrLater(exchange.httpVersion);

export default defineRule<'forbidden-headers'>({
  id: 'connection-header-on-http2',
  title: 'No connection-specific headers over HTTP/2 or HTTP/3',
  failureTitle: 'Connection-specific headers sent over HTTP/2 or HTTP/3',
  severity: 'warning',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc9113.html#section-8.2.2',
  messages: {
    'forbidden-headers': (d) => `The ${d.httpVersion} response carries ${d.headers}, which HTTP/2 and HTTP/3 forbid: strict peers treat the response as malformed and reset the stream.`,
  },
  appliesTo: (context) => context.record.exchanges.some(overHttp2OrLater),
  check(context) {
    // Every attempt repeats the same server answer: report the first exchange that shows it.
    for (const [index, exchange] of context.record.exchanges.entries()) {
      if (!isHttp2OrLater(exchange.httpVersion)) continue;
      const headers = context.headers(index);
      const present = CONNECTION_SPECIFIC.filter((name) => headers.has(name));
      if (present.length === 0) continue;
      const where: Evidence[] = present.map((name) => context.responseHeaderEvidence(index, name));
      const names = where.map((e) => e.header ?? '').join(', ');
      return [{ messageId: 'forbidden-headers', data: { headers: names, httpVersion: exchange.httpVersion ?? '' }, evidence: where }];
    }
    return NO_FINDINGS;
  },
  fix: () => ({
    summary: 'Stop sending Connection, Keep-Alive, Transfer-Encoding and Upgrade from the app; let the HTTP/2 or HTTP/3 server frame the stream itself (in a proxy, hide them, e.g. nginx `proxy_hide_header Connection;`).',
  }),
});

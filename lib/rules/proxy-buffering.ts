import type { Exchange } from '../model/record';
import { queuedBehindConnectionLimit } from './connection-limit-per-host';
import type { RuleContext } from './context';
import { localNetworkRequest } from './local-network-access';
import { defineRule, evidence, type Evidence, type RawFinding } from './define';
import { attemptOpened, contentCodings, streamResponseIndex } from './support/stream';

type MessageId = 'silent-after-open' | 'nginx-no-accel' | 'headers-held-back';

/** How long a stream may stay silent (or headerless) before it is taken as held back. */
const SILENCE_MS = 5000;

interface ProxySign {
  /** `nginx` (from Server) or the first Via entry. */
  readonly proxy: string;
  readonly evidence: Evidence;
}

/** Whether a Server value names nginx or OpenResty (built on it) among its products. */
function namesNginx(server: string): boolean {
  // Product tokens look like `nginx/1.25.3 (Ubuntu)`: compare the names before any `/`.
  const products = server.split(/[\s,]+/).map((token) => (token.split('/')[0] ?? '').toLowerCase());
  return products.includes('nginx') || products.includes('openresty');
}

/** Server naming nginx (or OpenResty, built on it), or any Via: a proxy sits in front of the app. */
function proxySign(context: RuleContext, index: number): ProxySign | null {
  const headers = context.headers(index);
  const server = headers.get('server');
  if (server !== null && namesNginx(server)) return { proxy: 'nginx', evidence: context.responseHeaderEvidence(index, 'Server') };
  const via = headers.first('via');
  if (via !== null) return { proxy: via.split(',')[0]?.trim() ?? via, evidence: context.responseHeaderEvidence(index, 'Via') };
  return null;
}

function accelBufferingOff(context: RuleContext, index: number): boolean {
  return context.headers(index).all('x-accel-buffering').some((value) => value.toLowerCase() === 'no');
}

function silentAfterOpen(context: RuleContext, index: number, exchange: Exchange): number | null {
  const observedFor = context.record.observedFor;
  if (observedFor === null || exchange.bodyBytes > 0 || exchange.error !== null) return null;
  if (exchange.bodyEnd === 'server' || exchange.bodyEnd === 'network') return null;
  if (!attemptOpened(context, exchange.attempt) || context.record.events.some((e) => e.attempt === exchange.attempt)) return null;
  // A compressed silent stream is content-encoding-on-stream's finding: the compressor is the likelier holder.
  if (contentCodings(context, index).length > 0) return null;
  const silentMs = observedFor - (exchange.timing.responseAt ?? exchange.timing.startedAt);
  return silentMs >= SILENCE_MS ? silentMs : null;
}

/** The last response exchange, when it has no headers yet and no error: the stream sits in CONNECTING. */
function heldBack(context: RuleContext): { index: number; waitedMs: number } | null {
  const { record } = context;
  const index = context.indexesOf('response').at(-1);
  const exchange = index === undefined ? undefined : record.exchanges[index];
  if (index === undefined || !exchange || exchange.status !== null || exchange.error !== null || record.observedFor === null) return null;
  // EventSource: readyStates only ever 0 for this attempt; an open or closed one is not waiting.
  if (record.readyStates.some((t) => t.attempt === exchange.attempt && t.state !== 0)) return null;
  // Waiting for a free HTTP/1.1 connection is the browser's doing: connection-limit-per-host owns it.
  if (queuedBehindConnectionLimit(context)) return null;
  // So is a request held for the user's Local Network Access permission.
  if (localNetworkRequest(context)) return null;
  const waitedMs = record.observedFor - exchange.timing.startedAt;
  return waitedMs >= SILENCE_MS ? { index, waitedMs } : null;
}

export default defineRule<MessageId>({
  id: 'proxy-buffering',
  title: 'Stream is not buffered on its way',
  failureTitle: 'A proxy appears to buffer the stream',
  severity: 'error',
  docsUrl: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering',
  messages: {
    'silent-after-open': (d) =>
      `The stream opened with status 200, then not a single byte arrived in ${Math.round(Number(d.silentMs) / 1000)} s${d.proxy ? ` (through ${d.proxy})` : ''}: something between server and browser is buffering it, or the server sends nothing at all.`,
    'nginx-no-accel': (d) =>
      `The stream passes through ${d.proxy}, which buffers proxied responses unless the app sends \`X-Accel-Buffering: no\` (nginx consumes that header, so its absence here is a hint, not proof) or buffering is off in its config.`,
    'headers-held-back': (d) =>
      `No response headers arrived in ${Math.round(Number(d.waitedMs) / 1000)} s and no error either: the EventSource sits in CONNECTING. A proxy or the server is holding the headers back until the first event.`,
  },
  appliesTo: (context) => context.indexesOf('response').length > 0,
  check(context) {
    const findings: RawFinding<MessageId>[] = [];
    const held = heldBack(context);
    if (held) {
      findings.push({ messageId: 'headers-held-back', data: { waitedMs: held.waitedMs }, evidence: [evidence({ exchangeIndex: held.index, note: 'no response headers' })] });
    }
    const index = streamResponseIndex(context);
    const exchange = index === null ? undefined : context.record.exchanges[index];
    if (index === null || !exchange) return findings;
    const sign = proxySign(context, index);
    const silentMs = silentAfterOpen(context, index, exchange);
    if (silentMs !== null) {
      // One finding per root cause: the proxy sign joins the silent stream instead of a second finding.
      findings.push({
        messageId: 'silent-after-open',
        data: sign ? { silentMs, proxy: sign.proxy } : { silentMs },
        evidence: [evidence({ exchangeIndex: index, note: `0 bytes in ${silentMs} ms` }), ...(sign ? [sign.evidence] : [])],
      });
    } else if (sign && !accelBufferingOff(context, index)) {
      // Events flowing on this attempt show buffering is at most delaying them: say so quietly.
      const flowing = context.record.events.some((e) => e.attempt === exchange.attempt);
      findings.push({
        messageId: 'nginx-no-accel',
        data: { proxy: sign.proxy },
        evidence: [sign.evidence, context.responseHeaderEvidence(index, 'X-Accel-Buffering')],
        severity: flowing ? 'info' : 'warning',
      });
    }
    return findings;
  },
  fix(_context, finding) {
    if (finding.messageId === 'headers-held-back') {
      return { summary: 'Send the response headers (and a first `: ok` comment) as soon as the request arrives, and flush; behind nginx add `X-Accel-Buffering: no`.' };
    }
    return {
      summary: 'Send `X-Accel-Buffering: no` from the app (or `proxy_buffering off;` for the stream location), `Cache-Control: no-cache, no-transform`, write a `: ok` comment right after the headers and flush after every event.',
    };
  },
});

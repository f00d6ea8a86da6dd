import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { attemptOpened, contentCodings, streamResponseIndex } from './support/stream';

/** How long an opened, compressed stream may stay silent before it is taken as buffered. */
export const SILENCE_MS = 5000;

/** A compressed stream that opened and delivered nothing for SILENCE_MS: what browser-facts §6 observed. */
export function silentCompressedStream(context: RuleContext, index: number): { silentMs: number } | null {
  const exchange = context.record.exchanges[index];
  const observedFor = context.record.observedFor;
  if (!exchange || observedFor === null || exchange.error !== null) return null;
  if (exchange.bodyEnd === 'server' || exchange.bodyEnd === 'network') return null;
  if (!attemptOpened(context, exchange.attempt)) return null;
  if (context.record.events.some((e) => e.attempt === exchange.attempt)) return null;
  const silentMs = observedFor - (exchange.timing.responseAt ?? exchange.timing.startedAt);
  return silentMs >= SILENCE_MS ? { silentMs } : null;
}

export default defineRule<'compressed' | 'compressed-silent'>({
  id: 'content-encoding-on-stream',
  title: 'Stream is sent uncompressed',
  failureTitle: 'Stream response is compressed',
  severity: 'warning',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Encoding',
  messages: {
    compressed: (d) => `The stream is sent with \`Content-Encoding: ${d.encoding}\`. Unless the compressor flushes after every event, events are held back until its buffer fills.`,
    'compressed-silent': (d) =>
      `The stream is sent with \`Content-Encoding: ${d.encoding}\`, opened, and delivered no event in ${Math.round(Number(d.silentMs) / 1000)} s: the compressor is holding the events back.`,
  },
  appliesTo: (context) => streamResponseIndex(context) !== null,
  check(context) {
    const index = streamResponseIndex(context) as number;
    const codings = contentCodings(context, index);
    if (codings.length === 0) return NO_FINDINGS;
    const encoding = codings.join(', ');
    const where = context.responseHeaderEvidence(index, 'Content-Encoding');
    // This rule owns a silent compressed stream; proxy-buffering's silent-after-open stays quiet for it.
    const silent = silentCompressedStream(context, index);
    if (silent) {
      return [
        {
          messageId: 'compressed-silent',
          data: { encoding, silentMs: silent.silentMs },
          evidence: [where, evidence({ exchangeIndex: index, note: `no event in ${silent.silentMs} ms` })],
          severity: 'error',
        },
      ];
    }
    return [{ messageId: 'compressed', data: { encoding }, evidence: [where] }];
  },
  fix: () => ({
    summary: 'Exclude `text/event-stream` from response compression (or flush the compressor after every event), and send `Cache-Control: no-cache, no-transform` so proxies do not compress it either.',
  }),
});

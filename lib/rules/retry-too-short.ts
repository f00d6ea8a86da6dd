import { defineRule, evidence, NO_FINDINGS } from './define';

/** Below this a reconnect loop hammers the server; Chromium uses 3000 ms by default, Firefox 5000 ms. */
const MIN_RETRY_MS = 1000;
/** Firefox never waits less than this, whatever `retry:` says. */
const FIREFOX_FLOOR_MS = 500;

export default defineRule<'too-short'>({
  id: 'retry-too-short',
  title: 'retry: leaves at least a second between reconnects',
  failureTitle: 'retry: is shorter than one second',
  severity: 'warning',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#concept-event-stream-reconnection-time',
  messages: {
    'too-short': (d) =>
      `The server sent \`retry: ${d.retry}\`: after any drop Chromium reconnects after ${d.retry} ms and Firefox after ${d.firefoxMs} ms, so a flapping server is hammered by every client.`,
  },
  requires: ['retry'],
  appliesTo: (context) => context.record.retryValues.length > 0,
  check(context) {
    const short = context.record.retryValues.filter((value) => value < MIN_RETRY_MS);
    if (short.length === 0) return NO_FINDINGS;
    const retry = Math.min(...short);
    return [{ messageId: 'too-short', data: { retry, firefoxMs: Math.max(retry, FIREFOX_FLOOR_MS) }, evidence: [evidence({ note: `retry: ${retry}` })] }];
  },
  fix: () => ({ summary: 'Send `retry: 3000` (or more, with jitter on the server side) instead of a sub-second value.', plan: { retryMs: 3000 } }),
});

import type { HeaderMap } from '../model/headers';
import { defineRule, NO_FINDINGS } from './define';
import { attemptSummaries, streamResponseIndex } from './support/stream';

/** The Content-Length a stream response carries, as a number when it parses; null when absent. */
export function streamContentLength(headers: HeaderMap): number | string | null {
  const first = headers.first('content-length');
  if (first === null) return null;
  return /^\d+$/.test(first) ? Number(first) : first;
}

export default defineRule<'fixed-length' | 'fixed-length-fetch'>({
  id: 'content-length-on-stream',
  title: 'Stream response has no Content-Length',
  failureTitle: 'Stream response carries Content-Length',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events',
  messages: {
    'fixed-length': (d) =>
      Number(d.attempts) > 1
        ? `The stream response says \`Content-Length: ${d.length}\`, so it ends after ${d.length} bytes; the EventSource reconnected ${Number(d.attempts) - 1} times because of it.`
        : `The stream response says \`Content-Length: ${d.length}\`, so it ends after ${d.length} bytes and the EventSource reconnects each time.`,
    'fixed-length-fetch': (d) => `The stream response says \`Content-Length: ${d.length}\`, so the fetch body ends after ${d.length} bytes instead of staying open.`,
  },
  appliesTo: (context) => streamResponseIndex(context) !== null,
  check(context) {
    const index = streamResponseIndex(context) as number;
    const length = streamContentLength(context.headers(index));
    if (length === null) return NO_FINDINGS;
    // This rule owns the reconnects it causes: reconnect-loop stays quiet for them (see reconnect-loop.ts).
    const attempts = attemptSummaries(context).filter((a) => a.end !== 'other').length;
    const fetchClient = context.record.client.kind === 'fetch';
    return [
      {
        messageId: fetchClient ? 'fixed-length-fetch' : 'fixed-length',
        data: { length, attempts },
        evidence: [context.responseHeaderEvidence(index, 'Content-Length')],
      },
    ];
  },
  fix: () => ({
    summary: 'Stream the body without Content-Length (chunked on HTTP/1.1, frames on HTTP/2): write headers first, then flush each event; do not buffer the response to measure it.',
  }),
});

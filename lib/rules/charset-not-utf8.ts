import { parseContentType } from '../model/headers';
import { defineRule, NO_FINDINGS } from './define';
import { isEventSource } from './helpers';
import { streamResponseIndex } from './support/stream';

export default defineRule<'eventsource' | 'fetch'>({
  id: 'charset-not-utf8',
  title: 'Stream declares UTF-8 or no charset',
  failureTitle: 'Content-Type declares a charset other than UTF-8',
  severity: 'error',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream',
  messages: {
    eventsource: (d) => `The stream declares \`charset=${d.charset}\`. Chromium fails the EventSource ("charset that is not UTF-8") and never reconnects; Firefox ignores the charset and opens it.`,
    fetch: (d) => `The stream declares \`charset=${d.charset}\`, but event streams are UTF-8 only: a client that trusts the header decodes the events wrongly.`,
  },
  appliesTo: (context) => streamResponseIndex(context) !== null,
  check(context) {
    const index = streamResponseIndex(context) as number;
    if (isEventSource(context)) {
      // The verdict already encodes Chromium's check (lib/cors/verdict.ts); reuse it, do not re-derive it.
      const verdict = context.verdicts.chromium;
      if (verdict.cause !== 'charset' || verdict.exchangeIndex === null) return NO_FINDINGS;
      const charset = parseContentType(context.headers(verdict.exchangeIndex).get('content-type'))?.params.get('charset') ?? '';
      return [{ messageId: 'eventsource', data: { charset }, evidence: [context.responseHeaderEvidence(verdict.exchangeIndex, 'Content-Type')] }];
    }
    const type = parseContentType(context.headers(index).get('content-type'));
    const charset = type?.params.get('charset');
    if (type?.essence !== 'text/event-stream' || charset === undefined || charset.toLowerCase() === 'utf-8') return NO_FINDINGS;
    return [{ messageId: 'fetch', data: { charset }, evidence: [context.responseHeaderEvidence(index, 'Content-Type')], severity: 'warning' }];
  },
  fix: () => ({ summary: 'Send `Content-Type: text/event-stream; charset=utf-8` and encode every event as UTF-8.' }),
});

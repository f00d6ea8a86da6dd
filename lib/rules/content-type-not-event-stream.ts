import { parseContentType } from '../model/headers';
import { defineRule, NO_FINDINGS } from './define';

export default defineRule<'wrong' | 'missing' | 'wrong-fetch'>({
  id: 'content-type-not-event-stream',
  title: 'Stream is served as text/event-stream',
  failureTitle: 'Content-Type is not text/event-stream',
  severity: 'error',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface',
  messages: {
    wrong: (d) => `The stream was served as \`${d.mime}\`; EventSource accepts only \`text/event-stream\` and fails the connection.`,
    missing: () => 'The stream has no Content-Type: the browser sniffs the body, stays in CONNECTING, then fails it as text/plain.',
    'wrong-fetch': (d) => `The stream was served as \`${d.mime}\`. fetch() reads it anyway, but proxies and EventSource clients treat it as a normal response (buffered, cached, or refused).`,
  },
  appliesTo: (context) => context.finalIndex !== null && context.record.exchanges[context.finalIndex]?.status === 200,
  check(context) {
    const index = context.finalIndex as number;
    const raw = context.headers(index).get('content-type');
    const fetchClient = context.record.client.kind === 'fetch';
    if (raw === null) {
      return [{ messageId: 'missing', data: {}, evidence: [context.responseHeaderEvidence(index, 'Content-Type')], severity: fetchClient ? 'warning' : 'error' }];
    }
    const type = parseContentType(raw);
    if (type?.essence === 'text/event-stream') return NO_FINDINGS;
    return [
      {
        messageId: fetchClient ? 'wrong-fetch' : 'wrong',
        data: { mime: type?.essence ?? raw },
        evidence: [context.responseHeaderEvidence(index, 'Content-Type')],
        severity: fetchClient ? 'warning' : 'error',
      },
    ];
  },
  fix: () => ({ summary: 'Serve the stream with `Content-Type: text/event-stream; charset=utf-8`.' }),
});

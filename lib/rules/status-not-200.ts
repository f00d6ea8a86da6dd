import { defineRule, evidence, NO_FINDINGS, type RawFinding } from './define';
import { isEventSource } from './helpers';

type MessageId = 'no-content' | 'error-status' | 'other-status';

export default defineRule<MessageId>({
  id: 'status-not-200',
  title: 'Stream answers 200',
  failureTitle: 'Stream response status is not 200',
  severity: 'error',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model',
  messages: {
    'no-content': (d) =>
      d.client === 'eventsource'
        ? 'The server answered 204 No Content: the EventSource is closed and will not reconnect. That is how the spec lets a server stop a client; fine if intended.'
        : 'The server answered 204 No Content: the fetch resolves with an empty body and the stream ends at once.',
    'error-status': (d) =>
      d.client === 'eventsource'
        ? `The stream answered ${d.status}${d.statusText ? ` ${d.statusText}` : ''}: the EventSource fails (one \`error\`, readyState CLOSED) and never reconnects.`
        : `The stream answered ${d.status}${d.statusText ? ` ${d.statusText}` : ''}: fetch resolves with \`ok: false\` and the body is an error page, not events.`,
    'other-status': (d) =>
      d.client === 'eventsource'
        ? `The stream answered ${d.status}: EventSource accepts exactly 200, so it fails the connection and never reconnects.`
        : `The stream answered ${d.status}, which is not a 2xx status: fetch resolves with \`ok: false\`.`,
  },
  appliesTo: (context) => context.finalIndex !== null,
  check(context) {
    // Only a response CORS let through: the page never sees the status of a blocked one (CORS rules own those).
    const verdict = [context.verdicts.chromium, context.verdicts.firefox].find((v) => v.cause === 'status' || v.cause === 'no-content');
    const index = verdict?.exchangeIndex ?? null;
    const exchange = index === null ? undefined : context.record.exchanges[index];
    if (!verdict || index === null || !exchange || exchange.status === null) return NO_FINDINGS;
    const status = exchange.status;
    const data = { status, statusText: exchange.statusText, client: context.record.client.kind };
    const where = [evidence({ exchangeIndex: index, side: 'response', note: `status ${status}` })];
    let finding: RawFinding<MessageId>;
    if (status === 204) finding = { messageId: 'no-content', data, evidence: where, severity: 'info' };
    else if (status >= 400) finding = { messageId: 'error-status', data, evidence: where };
    // fetch still hands a 1xx/3xx to the page, so it is worth a warning rather than a failure.
    else finding = { messageId: 'other-status', data, evidence: where, severity: isEventSource(context) ? 'error' : 'warning' };
    return [finding];
  },
  fix(context, finding) {
    const status = Number(finding.data.status);
    if (finding.messageId === 'no-content') {
      return { summary: 'Nothing to fix if the server meant to stop the client; otherwise answer 200 with `Content-Type: text/event-stream`.' };
    }
    if (status === 401 || status === 403) {
      return {
        summary: isEventSource(context)
          ? 'EventSource cannot send an Authorization header: authenticate with a cookie (`withCredentials: true`) or a short-lived token, and answer 200.'
          : 'Send the credentials the endpoint expects (and allow them in CORS), then answer 200 with `Content-Type: text/event-stream`.',
      };
    }
    return { summary: `Answer the stream request with 200 and \`Content-Type: text/event-stream\` instead of ${status}; report errors as events, not statuses.` };
  },
});

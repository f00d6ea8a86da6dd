import { isSafelistedMethod } from '../cors/request-headers';
import { defineRule, evidence, type RawFinding } from './define';
import { pathOf, preflightable, requestHeaderEvidence, sentHeaderName } from './support/preflight';

type MessageId = 'method' | 'authorization' | 'last-event-id' | 'custom-headers';

/**
 * One finding per cause, because each has its own way out: a method is changed in the client,
 * Authorization can become a cookie, Last-Event-ID a query parameter, other headers must be allowed.
 */
export default defineRule<MessageId>({
  id: 'preflight-triggered-by-request-headers',
  title: 'Stream request needs no preflight',
  failureTitle: 'Stream request triggers a CORS preflight',
  severity: 'info',
  docsUrl: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
  messages: {
    method: (d) => `The stream is opened with ${d.method}, which is not GET, HEAD or POST, so the browser first sends an OPTIONS preflight.`,
    authorization: () => 'The stream request sends Authorization, which is never CORS-safelisted, so the browser first sends an OPTIONS preflight (without the token).',
    'last-event-id': () =>
      'The fetch client sets Last-Event-ID itself. EventSource sends it on reconnect without a preflight, but a header set by page code is not safelisted, so the browser first sends an OPTIONS preflight.',
    'custom-headers': (d) => `The stream request sends \`${d.headers}\`, not CORS-safelisted, so the browser first sends an OPTIONS preflight.`,
  },
  requires: ['cross-origin', 'fetch'],
  appliesTo: (context) => preflightable(context) && context.requirement.needed,
  check(context) {
    const { method, headers } = context.requirement;
    const findings: RawFinding<MessageId>[] = [];
    if (!isSafelistedMethod(method)) {
      const index = context.finalIndex ?? context.indexesOf('response').at(-1) ?? null;
      findings.push({ messageId: 'method', data: { method }, evidence: [evidence({ exchangeIndex: index, side: 'request', value: method, note: 'method' })] });
    }
    if (headers.includes('authorization')) {
      findings.push({ messageId: 'authorization', data: { header: 'authorization' }, evidence: [requestHeaderEvidence(context, 'authorization')] });
    }
    if (headers.includes('last-event-id')) {
      findings.push({ messageId: 'last-event-id', data: { header: 'last-event-id' }, evidence: [requestHeaderEvidence(context, 'last-event-id')] });
    }
    const others = headers.filter((name) => name !== 'authorization' && name !== 'last-event-id');
    if (others.length > 0) {
      findings.push({ messageId: 'custom-headers', data: { headers: others.join(', ') }, evidence: others.map((name) => requestHeaderEvidence(context, name)) });
    }
    return findings;
  },
  fix(context, finding) {
    const path = pathOf(context.record.url);
    const origin = context.record.pageOrigin;
    switch (finding.messageId) {
      case 'method':
        return { summary: `Open the stream with GET, or answer \`OPTIONS ${path}\` with 204 and \`Access-Control-Allow-Methods: ${finding.data.method}\`.` };
      case 'authorization':
        return {
          summary: `Answer \`OPTIONS ${path}\` with 204 before authentication and \`Access-Control-Allow-Headers: Authorization\`; or carry the token in a cookie (\`credentials: 'include'\`, \`Access-Control-Allow-Origin: ${origin}\`, \`Access-Control-Allow-Credentials: true\`) so the header no longer triggers a preflight.`,
        };
      case 'last-event-id':
        return { summary: `Pass the last id as a query parameter (\`${path}?lastEventId=…\`) so it no longer triggers a preflight, or answer \`OPTIONS ${path}\` with 204 and \`Access-Control-Allow-Headers: Last-Event-ID\`.` };
      case 'custom-headers': {
        const names = String(finding.data.headers).split(', ').map((name) => sentHeaderName(context, name)).join(', ');
        return { summary: `Answer \`OPTIONS ${path}\` with 204 and \`Access-Control-Allow-Headers: ${names}\`, or stop sending ${names} on the stream request so they no longer trigger one.` };
      }
    }
  },
});

import { defineRule, NO_FINDINGS, type FindingData } from './define';
import { chromiumBlock } from './helpers';

const where = (d: FindingData) => (d.preflight ? `The preflight response for ${d.url}` : `The response from ${d.url}`);

export default defineRule<'missing' | 'not-true'>({
  id: 'acac-invalid',
  title: 'Credentialed stream sends Access-Control-Allow-Credentials: true',
  failureTitle: 'Access-Control-Allow-Credentials is missing or not `true`',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowCredentials',
  messages: {
    missing: (d) =>
      `${where(d)} has no Access-Control-Allow-Credentials header, but the request carries credentials, so the browser blocks the stream even though Access-Control-Allow-Origin is right.`,
    'not-true': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Credentials: ${d.value}\`; only the exact, case-sensitive value \`true\` is accepted for a request with credentials, so the browser blocks the stream.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.record.client.credentials === 'include' && context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['InvalidAllowCredentials', 'PreflightInvalidAllowCredentials']);
    if (!block) return NO_FINDINGS;
    // An empty header line and a missing header both give an empty failedParameter.
    const present = context.headers(block.index).has('access-control-allow-credentials');
    return [
      {
        messageId: present ? 'not-true' : 'missing',
        data: { value: block.failedParameter, url: block.exchange.url, preflight: block.corsError === 'PreflightInvalidAllowCredentials' },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Credentials')],
      },
    ];
  },
  fix: (context, finding) => ({
    summary: `Send \`Access-Control-Allow-Credentials: true\` (exactly, once) ${finding.data.preflight ? 'on the OPTIONS preflight response and on the stream response' : 'on the stream response'} for ${context.record.pageOrigin}, together with \`Access-Control-Allow-Origin: ${context.record.pageOrigin}\`.`,
    plan: { credentials: true },
  }),
});

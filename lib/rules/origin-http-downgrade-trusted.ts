import type { OriginProbeKind } from '../model/record';
import { allowlistAdvice, hasAnsweredProbe, probeData, probeEvidence, trustedProbes } from '../security/probe-trust';
import { defineRule } from './define';

const KINDS: readonly OriginProbeKind[] = ['http-downgrade'];

export default defineRule<'http-downgrade'>({
  id: 'origin-http-downgrade-trusted',
  title: 'The server trusts https origins only',
  failureTitle: 'The server trusts the http:// twin of the page origin',
  severity: 'warning',
  docsUrl: 'https://portswigger.net/web-security/cors#breaking-tls-with-poorly-configured-cors',
  messages: {
    'http-downgrade': (d) =>
      `\`${d.probeOrigin}\` was trusted${d.credentials ? ' with credentials' : ''}: a network attacker can inject script into that unencrypted origin and read this stream.`,
  },
  requires: ['origin-probes'],
  appliesTo: (context) => hasAnsweredProbe(context.record, KINDS),
  check: (context) =>
    trustedProbes(context.record, KINDS).map((probe) => ({
      messageId: 'http-downgrade',
      data: probeData(context.record, probe),
      evidence: probeEvidence(probe),
    })),
  fix: (context) => ({
    summary: `Trust only the https origin; the scheme is part of the origin. ${allowlistAdvice(context.record)}`,
  }),
});

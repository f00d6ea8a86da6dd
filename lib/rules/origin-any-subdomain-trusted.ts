import type { OriginProbeKind } from '../model/record';
import { allowlistAdvice, hasAnsweredProbe, probeData, probeEvidence, trustedProbes } from '../security/probe-trust';
import { defineRule } from './define';

const KINDS: readonly OriginProbeKind[] = ['subdomain'];

export default defineRule<'subdomain'>({
  id: 'origin-any-subdomain-trusted',
  title: 'The server trusts named subdomains only',
  failureTitle: 'The server trusts every subdomain of the page origin',
  severity: 'warning',
  docsUrl: 'https://portswigger.net/web-security/cors#exploiting-xss-via-cors-trust-relationships',
  messages: {
    subdomain: (d) =>
      `\`${d.probeOrigin}\`, a subdomain nobody set up, was trusted${d.credentials ? ' with credentials' : ''}: script running on any subdomain can read this stream.`,
  },
  requires: ['origin-probes'],
  appliesTo: (context) => hasAnsweredProbe(context.record, KINDS),
  check: (context) =>
    trustedProbes(context.record, KINDS).map((probe) => ({
      messageId: 'subdomain',
      data: probeData(context.record, probe),
      evidence: probeEvidence(probe),
    })),
  fix: (context) => ({
    summary: `List the subdomains that need the stream by name instead of a wildcard. ${allowlistAdvice(context.record)}`,
  }),
});

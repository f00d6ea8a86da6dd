import type { OriginProbeKind } from '../model/record';
import { allowlistAdvice, hasAnsweredProbe, probeData, probeEvidence, trustedProbes } from '../security/probe-trust';
import { defineRule } from './define';

type Pattern = 'prefix' | 'suffix' | 'unescaped-dot';
const PATTERNS: readonly Pattern[] = ['prefix', 'suffix', 'unescaped-dot'];
const isPattern = (kind: OriginProbeKind): kind is Pattern => (PATTERNS as readonly OriginProbeKind[]).includes(kind);

export default defineRule<Pattern>({
  id: 'origin-pattern-too-loose',
  title: 'The origin allowlist matches whole origins',
  failureTitle: 'The origin allowlist matches look-alike origins',
  severity: 'error',
  docsUrl: 'https://portswigger.net/web-security/cors#errors-parsing-origin-headers',
  messages: {
    prefix: (d) => `\`${d.probeOrigin}\` was trusted: the allowlist matches origins that merely start with the trusted host, and anyone can register such a domain.`,
    suffix: (d) => `\`${d.probeOrigin}\` was trusted: the allowlist matches origins that merely end with the trusted host (no leading dot), and anyone can register such a domain.`,
    'unescaped-dot': (d) => `\`${d.probeOrigin}\` was trusted: a dot in the allowlist regex is unescaped and matches any character, and anyone can register such a domain.`,
  },
  requires: ['origin-probes'],
  appliesTo: (context) => hasAnsweredProbe(context.record, PATTERNS),
  check: (context) =>
    trustedProbes(context.record, PATTERNS).flatMap((probe) =>
      isPattern(probe.kind) ? [{ messageId: probe.kind, data: probeData(context.record, probe), evidence: probeEvidence(probe) }] : [],
    ),
  fix: (context) => ({ summary: allowlistAdvice(context.record) }),
});

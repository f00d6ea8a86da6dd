import type { OriginProbe, OriginProbeKind, StreamRecord } from '../model/record';
import { evidence, type Evidence, type FindingData, type RawFinding } from '../rules/define';

/**
 * How the security rules read `record.originProbes`: which hostile Origins the server trusted.
 * Shared by the rules in lib/rules/origin-*.ts and null-origin-trusted.ts.
 */

// Fetch normalizes header values by stripping leading and trailing HTTP whitespace before the CORS check.
const trimHttpWhitespace = (value: string): string => value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');

/**
 * A probe is trusted when Access-Control-Allow-Origin echoes the hostile Origin byte for byte, the
 * only answer that passes the browser's CORS check for that origin (browser-facts §2.5). `*` is
 * not trust in that origin: it is a public-stream policy, unusable with credentials (§2.3), and
 * `acao-wildcard-with-credentials` covers it. Two values (`a, b`) fail the check too. The status is
 * deliberately ignored: a probe without the user's cookies often gets 401 from a server whose CORS
 * layer still reflects the origin, and the user's own request would then be readable.
 */
export function isTrusted(probe: OriginProbe): boolean {
  return probe.allowOrigin !== null && trimHttpWhitespace(probe.allowOrigin) === probe.origin;
}

/** Access-Control-Allow-Credentials is case-sensitive: only exactly `true` lets cookies through (§2.6). */
export function allowsCredentials(probe: OriginProbe): boolean {
  return probe.allowCredentials !== null && trimHttpWhitespace(probe.allowCredentials) === 'true';
}

/**
 * Probes of these kinds that got an answer. A probe with no response (status null) tested nothing,
 * so a rule applies only when this is non-empty: otherwise it is not applicable, never "passed".
 */
export function answeredProbes(record: StreamRecord, kinds: readonly OriginProbeKind[]): OriginProbe[] {
  return record.originProbes.filter((probe) => kinds.includes(probe.kind) && probe.status !== null);
}

/** Whether any probe of these kinds got an answer: what the rules' appliesTo asks, allocation-free. */
export function hasAnsweredProbe(record: StreamRecord, kinds: readonly OriginProbeKind[]): boolean {
  for (const probe of record.originProbes) if (probe.status !== null && kinds.includes(probe.kind)) return true;
  return false;
}

/** Answered probes of these kinds whose hostile Origin was trusted, one per distinct Origin. */
export function trustedProbes(record: StreamRecord, kinds: readonly OriginProbeKind[]): OriginProbe[] {
  const seen = new Set<string>();
  return answeredProbes(record, kinds).filter((probe) => {
    if (!isTrusted(probe) || seen.has(probe.origin)) return false;
    seen.add(probe.origin);
    return true;
  });
}

export function probeData(record: StreamRecord, probe: OriginProbe): FindingData {
  return {
    probeOrigin: probe.origin,
    trustedOrigin: record.pageOrigin,
    credentials: allowsCredentials(probe),
    status: probe.status ?? 0,
  };
}

/** Probes are not exchanges of the stream: the evidence names the header and the Origin sent. */
export function probeEvidence(probe: OriginProbe): Evidence[] {
  const note = `probe (${probe.kind}) sent Origin: ${probe.origin}`;
  const found = [evidence({ side: 'response', header: 'Access-Control-Allow-Origin', value: probe.allowOrigin, note })];
  if (allowsCredentials(probe)) {
    found.push(evidence({ side: 'response', header: 'Access-Control-Allow-Credentials', value: probe.allowCredentials, note }));
  }
  return found;
}

/** The shared cure, in the words every security rule's fix starts with. */
export function allowlistAdvice(record: StreamRecord): string {
  const origin = record.pageOrigin === 'null' ? 'each trusted page origin' : `\`${record.pageOrigin}\``;
  return `Answer only origins from an exact-match allowlist (${origin}): compare the whole serialized Origin string, never a regex, prefix or suffix; echo it with \`Vary: Origin\`, and never answer \`null\`.`;
}

/**
 * Findings for probes whose hostile Origin was trusted, one per Origin: an error when credentials
 * are allowed too (any site reads the user's stream), a warning otherwise.
 */
export function trustFindings(record: StreamRecord, kinds: readonly OriginProbeKind[]): RawFinding<'with-credentials' | 'without-credentials'>[] {
  return trustedProbes(record, kinds).map((probe) => {
    const credentials = allowsCredentials(probe);
    return {
      messageId: credentials ? 'with-credentials' : 'without-credentials',
      data: probeData(record, probe),
      evidence: probeEvidence(probe),
      severity: credentials ? 'error' : 'warning',
    };
  });
}

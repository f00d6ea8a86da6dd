import type { HeaderList } from './headers';
import { SEVERITY_RANK, type Evidence, type Severity } from '../rules/define';

/**
 * The header lines findings point at, so the panel's Headers tab and the HTML report mark the
 * same lines. Works on the engine's findings and on a report's (both carry this shape).
 */

export interface HeaderMark {
  readonly severity: Severity;
  readonly ruleIds: readonly string[];
}

/** Marks on one exchange's header lines, and the headers findings say are missing. */
export interface ExchangeMarks {
  /** Marks per line index of the request and response header lists. */
  readonly request: ReadonlyMap<number, HeaderMark>;
  readonly response: ReadonlyMap<number, HeaderMark>;
  /** Headers a finding says are missing, with their marks. */
  readonly missing: readonly { readonly side: 'request' | 'response'; readonly header: string; readonly mark: HeaderMark }[];
}

interface MarkedFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly evidence: readonly Evidence[];
}

interface MarkedExchange {
  readonly requestHeaders: HeaderList;
  readonly responseHeaders: HeaderList;
}

/** A line marked by several findings shows the most severe one and every rule id. */
function merge(held: HeaderMark | undefined, finding: MarkedFinding): HeaderMark {
  if (!held) return { severity: finding.severity, ruleIds: [finding.ruleId] };
  return {
    severity: SEVERITY_RANK[finding.severity] > SEVERITY_RANK[held.severity] ? finding.severity : held.severity,
    ruleIds: held.ruleIds.includes(finding.ruleId) ? held.ruleIds : [...held.ruleIds, finding.ruleId],
  };
}

/**
 * Every exchange's offending lines, from the findings' evidence: by line index when the rule gave
 * one, else every line with the evidence's header name (compared case-insensitively, as HTTP does);
 * a header no line carries is listed as missing.
 */
export function headerMarks(exchanges: readonly MarkedExchange[], findings: readonly MarkedFinding[]): ExchangeMarks[] {
  const marks = exchanges.map(() => ({
    request: new Map<number, HeaderMark>(),
    response: new Map<number, HeaderMark>(),
    missing: [] as { side: 'request' | 'response'; header: string; mark: HeaderMark }[],
  }));
  for (const finding of findings) {
    for (const { exchangeIndex, side, header, lineIndex } of finding.evidence) {
      if (exchangeIndex === null || side === null || header === null) continue;
      const exchange = exchanges[exchangeIndex];
      const target = marks[exchangeIndex];
      if (!exchange || !target) continue;
      const lines = side === 'request' ? exchange.requestHeaders : exchange.responseHeaders;
      const name = header.toLowerCase();
      const indexes = lineIndex !== null && lines[lineIndex] ? [lineIndex] : lines.flatMap(([lineName], index) => (lineName.toLowerCase() === name ? [index] : []));
      for (const index of indexes) target[side].set(index, merge(target[side].get(index), finding));
      if (indexes.length > 0) continue;
      const at = target.missing.findIndex((m) => m.side === side && m.header.toLowerCase() === name);
      const held = target.missing[at];
      if (held) target.missing[at] = { ...held, mark: merge(held.mark, finding) };
      else target.missing.push({ side, header, mark: merge(undefined, finding) });
    }
  }
  return marks;
}

import type { Exchange } from '@/lib/model/record';
import type { Finding, Severity } from '@/lib/rules/define';
import { SEVERITY_RANK } from '@/lib/rules/define';

/** Header lines a finding points at, so the Headers tab can mark them. */
export interface HeaderMark {
  readonly severity: Severity;
  readonly ruleIds: readonly string[];
}

export interface ExchangeMarks {
  /** Marks per line index of the request and response header lists. */
  readonly request: ReadonlyMap<number, HeaderMark>;
  readonly response: ReadonlyMap<number, HeaderMark>;
  /** Headers a finding says are missing, with their marks. */
  readonly missing: readonly { readonly side: 'request' | 'response'; readonly header: string; readonly mark: HeaderMark }[];
}

function add(marks: Map<number, HeaderMark>, index: number, finding: Finding): void {
  const held = marks.get(index);
  if (!held) return void marks.set(index, { severity: finding.severity, ruleIds: [finding.ruleId] });
  const severity = SEVERITY_RANK[finding.severity] > SEVERITY_RANK[held.severity] ? finding.severity : held.severity;
  const ruleIds = held.ruleIds.includes(finding.ruleId) ? held.ruleIds : [...held.ruleIds, finding.ruleId];
  marks.set(index, { severity, ruleIds });
}

function addMissing(missing: ExchangeMarks['missing'][number][], side: 'request' | 'response', header: string, finding: Finding): void {
  const index = missing.findIndex((entry) => entry.side === side && entry.header.toLowerCase() === header.toLowerCase());
  const held = missing[index];
  if (!held) return void missing.push({ side, header, mark: { severity: finding.severity, ruleIds: [finding.ruleId] } });
  const severity = SEVERITY_RANK[finding.severity] > SEVERITY_RANK[held.mark.severity] ? finding.severity : held.mark.severity;
  const ruleIds = held.mark.ruleIds.includes(finding.ruleId) ? held.mark.ruleIds : [...held.mark.ruleIds, finding.ruleId];
  missing[index] = { side, header: held.header, mark: { severity, ruleIds } };
}

/**
 * Every exchange's offending lines, from the findings' evidence: by line index when the rule gave
 * one, else every line with the evidence's header name (compared case-insensitively, as HTTP does).
 */
export function headerMarks(exchanges: readonly Exchange[], findings: readonly Finding[]): ExchangeMarks[] {
  const result = exchanges.map(() => ({ request: new Map<number, HeaderMark>(), response: new Map<number, HeaderMark>(), missing: [] as ExchangeMarks['missing'][number][] }));
  for (const finding of findings) {
    for (const evidence of finding.evidence) {
      if (evidence.exchangeIndex === null || evidence.side === null || evidence.header === null) continue;
      const exchange = exchanges[evidence.exchangeIndex];
      const target = result[evidence.exchangeIndex];
      if (!exchange || !target) continue;
      const lines = evidence.side === 'request' ? exchange.requestHeaders : exchange.responseHeaders;
      const marks = target[evidence.side];
      if (evidence.lineIndex !== null && lines[evidence.lineIndex]) {
        add(marks, evidence.lineIndex, finding);
        continue;
      }
      const name = evidence.header.toLowerCase();
      let found = false;
      lines.forEach(([lineName], index) => {
        if (lineName.toLowerCase() === name) {
          add(marks, index, finding);
          found = true;
        }
      });
      if (!found) addMissing(target.missing, evidence.side, evidence.header, finding);
    }
  }
  return result;
}

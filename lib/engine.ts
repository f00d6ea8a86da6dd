import { RecordFacts } from './cors/facts';
import { verdicts as computeVerdicts, type Verdicts } from './cors/verdict';
import { basePlan, movedStreamNote } from './fixes/base-plan';
import type { StreamRecord } from './model/record';
import { createContext } from './rules/context';
import { SEVERITY_RANK, type Finding } from './rules/define';
import { RULES } from './rules/index';
import { preconditionMask, preconditionsOf } from './rules/preconditions';

// Each rule's preconditions as a bit mask, computed once.
const REQUIRES = RULES.map((rule) => preconditionMask(rule.requires));

// Working lists shared by every call: the engine is synchronous and never re-entered, so each
// analysis fills these from index 0 and copies out lists of exactly the size it needs, instead
// of growing two fresh lists per stream. They are written by index and never shrunk (setting
// `length = 0` would free their storage).
const notApplicableScratch: string[] = [];
const findingsScratch: (Finding | undefined)[] = [];

/**
 * The whole engine: one record in, both browsers' verdicts and the findings out.
 * Pure and synchronous, so the panel, the CLI and the what-if editor all call the same thing.
 */
export interface StreamAnalysis {
  readonly record: StreamRecord;
  readonly verdicts: Verdicts;
  /** Most severe first; rule order breaks ties. */
  readonly findings: readonly Finding[];
  /** Ids of rules that had nothing to say about this record (not "passed": not applicable). */
  readonly notApplicable: readonly string[];
}

export function analyzeStream(record: StreamRecord, peers: readonly StreamRecord[] = []): StreamAnalysis {
  const facts = new RecordFacts(record);
  const verdicts = computeVerdicts(record, facts);
  const context = createContext(record, verdicts, peers, facts);
  let found = 0;
  let skipped = 0;
  // Made with the first finding: most streams have none or one.
  let effect: Finding['effect'] | null = null;
  let plan: ReturnType<typeof basePlan> | null = null;
  const met = preconditionsOf(context);
  for (let r = 0; r < RULES.length; r++) {
    const rule = RULES[r] as (typeof RULES)[number];
    const requires = REQUIRES[r] as number;
    if ((met & requires) !== requires || !rule.appliesTo(context)) {
      notApplicableScratch[skipped++] = rule.id;
      continue;
    }
    const raws = rule.check(context);
    // Indexed: most checks return an empty array, and an iterator per rule call adds up.
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i] as (typeof raws)[number];
      const guidance = rule.fix(context, raw);
      plan ??= basePlan(context);
      effect ??= { chromium: verdicts.chromium.outcome, firefox: verdicts.firefox.outcome };
      const message = rule.messages[raw.messageId];
      findingsScratch[found++] = {
        ruleId: rule.id,
        messageId: raw.messageId,
        severity: raw.severity ?? rule.severity,
        title: rule.failureTitle,
        message: message ? message(raw.data) : rule.failureTitle,
        data: raw.data,
        evidence: raw.evidence,
        effect,
        fix: guidance.plan ? { summary: guidance.summary, plan: { ...plan, ...guidance.plan } } : { summary: movedStreamNote(plan, record, rule.id, guidance.summary), plan },
        docsUrl: rule.docsUrl,
      };
    }
  }
  const findings = findingsScratch.slice(0, found) as Finding[];
  // Let go of this stream's findings: the scratch list outlives the call.
  if (found > 0) findingsScratch.fill(undefined, 0, found);
  sortBySeverity(findings);
  return { record, verdicts, findings, notApplicable: notApplicableScratch.slice(0, skipped) };
}

/** Most severe first, rule order kept within a severity: a stable insertion sort, as lists are short. */
function sortBySeverity(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    const rank = SEVERITY_RANK[finding.severity];
    let j = i - 1;
    while (j >= 0 && SEVERITY_RANK[(findings[j] as Finding).severity] < rank) {
      findings[j + 1] = findings[j] as Finding;
      j--;
    }
    findings[j + 1] = finding;
  }
}

/** Analyzes the streams of one page together, so rules can see their peers. */
export function analyzeStreams(records: readonly StreamRecord[]): StreamAnalysis[] {
  return records.map((record) => analyzeStream(record, records.filter((peer) => peer !== record)));
}

import type { ServerPlan } from '../fixes/plan';
import type { Outcome } from '../cors/verdict';
import type { RuleContext } from './context';
import type { Precondition } from './preconditions';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export type FindingData = Readonly<Record<string, string | number | boolean>>;

/** Where the problem shows: which exchange, which header line, which value. */
export interface Evidence {
  /** Index into `record.exchanges`; null when the evidence is the stream as a whole. */
  readonly exchangeIndex: number | null;
  /** `request` or `response` header list of that exchange. */
  readonly side: 'request' | 'response' | null;
  /** Header name as sent (original case); null when not about a header. */
  readonly header: string | null;
  /** The value as sent, or null when the header is missing. */
  readonly value: string | null;
  /** Position of the header line in its list; null when missing. */
  readonly lineIndex: number | null;
  /** Free-form note, e.g. `missing` or `attempts 1-5`. */
  readonly note: string | null;
}

/** What a check returns: ids and data only; prose and fixes are added by the engine. */
export interface RawFinding<M extends string> {
  readonly messageId: M;
  readonly data: FindingData;
  readonly evidence: readonly Evidence[];
  /** Overrides the rule's default severity for this message (e.g. 204 is only `info`). */
  readonly severity?: Severity;
}

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly data: FindingData;
  readonly evidence: readonly Evidence[];
  /** What each browser does with the stream this finding is about. */
  readonly effect: { readonly chromium: Outcome; readonly firefox: Outcome };
  /** Platform-neutral fix; `renderFix` (lib/fixes) turns it into snippets when shown or exported. */
  readonly fix: FixAdvice;
  readonly docsUrl: string;
}

export interface FixAdvice {
  readonly summary: string;
  readonly plan: ServerPlan;
}

export interface FixGuidance {
  /** One line: what to change. */
  readonly summary: string;
  /** Changes to the plan derived from the record (e.g. a longer `retry`). */
  readonly plan?: Partial<ServerPlan>;
}

export interface RuleDefinition<M extends string> {
  /** Kebab-case noun phrase for the failing state; equal to the rule's file name. */
  readonly id: string;
  /** What is being checked, e.g. "Access-Control-Allow-Origin is present". */
  readonly title: string;
  /** The failing state, e.g. "Access-Control-Allow-Origin is missing". */
  readonly failureTitle: string;
  readonly severity: Severity;
  /** The rule's paragraph lives in descriptions.ts (not loaded by the panel up front). */
  readonly docsUrl: string;
  readonly messages: { readonly [K in M]: (data: FindingData) => string };
  /**
   * Coarse preconditions (see preconditions.ts): when a record lacks one, the engine does not call
   * the rule at all. appliesTo must then return false too; the rule tester checks it.
   */
  readonly requires?: readonly Precondition[];
  /** Whether the rule has anything to say about this record at all. */
  appliesTo(context: RuleContext): boolean;
  check(context: RuleContext): readonly RawFinding<M>[];
  fix(context: RuleContext, finding: RawFinding<M>): FixGuidance;
}

export interface Rule extends RuleDefinition<string> {}

export function defineRule<M extends string>(definition: RuleDefinition<M>): Rule {
  // Every rule gets the same fields in the same order (one hidden class), whatever its literal
  // looks like: the engine reads them for 38 rules per stream, and a property read that meets
  // 38 object shapes is a slow megamorphic lookup.
  const rule: RuleDefinition<M> = {
    id: definition.id,
    title: definition.title,
    failureTitle: definition.failureTitle,
    severity: definition.severity,
    docsUrl: definition.docsUrl,
    messages: definition.messages,
    requires: definition.requires,
    appliesTo: definition.appliesTo,
    check: definition.check,
    fix: definition.fix,
  };
  return rule as unknown as Rule;
}

/**
 * What a check returns when it finds nothing: one shared, frozen list. Most checks find nothing on
 * most streams, and a fresh `[]` per check and stream was a tenth of the engine's allocation.
 */
export const NO_FINDINGS: readonly never[] = Object.freeze([]);

/** Evidence builder with every field explicit, so findings stay comparable in tests. */
export function evidence(fields: Partial<Evidence>): Evidence {
  return {
    exchangeIndex: fields.exchangeIndex ?? null,
    side: fields.side ?? null,
    header: fields.header ?? null,
    value: fields.value ?? null,
    lineIndex: fields.lineIndex ?? null,
    note: fields.note ?? null,
  };
}


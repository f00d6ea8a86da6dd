import { expect, it } from 'vitest';
import { verdicts } from '@/lib/cors/verdict';
import type { StreamRecord } from '@/lib/model/record';
import { createContext } from '@/lib/rules/context';
import type { FindingData, Rule } from '@/lib/rules/define';
import { basePlan } from '@/lib/fixes/base-plan';
import { PLATFORMS } from '@/lib/fixes/plan';
import { renderFix } from '@/lib/fixes/render';
import { preconditionMask, preconditionsOf } from '@/lib/rules/preconditions';

/**
 * Table-driven rule tests in the style of ESLint's RuleTester: `valid` records produce no
 * finding from the rule, each `invalid` record produces exactly the listed message ids (and
 * data, where given). Sentences are never asserted: prose is generated from ids and data.
 */
export interface InvalidCase {
  readonly name: string;
  readonly record: StreamRecord;
  readonly findings: readonly { messageId: string; data?: FindingData; severity?: string; header?: string | null }[];
  readonly peers?: readonly StreamRecord[];
}

export interface ValidCase {
  readonly name: string;
  readonly record: StreamRecord;
  readonly peers?: readonly StreamRecord[];
}

export function testRule(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  const run = (record: StreamRecord, peers: readonly StreamRecord[] = []) => {
    const context = createContext(record, verdicts(record), peers);
    // A rule's declared preconditions may only ever skip records its appliesTo would refuse.
    const requires = preconditionMask(rule.requires);
    if ((preconditionsOf(context) & requires) !== requires) expect(rule.appliesTo(context)).toBe(false);
    return { applies: rule.appliesTo(context), findings: rule.appliesTo(context) ? rule.check(context) : [], context };
  };
  for (const c of cases.valid) {
    it(`valid: ${c.name}`, () => {
      expect(run(c.record, c.peers).findings).toEqual([]);
    });
  }
  for (const c of cases.invalid) {
    it(`invalid: ${c.name}`, () => {
      const { applies, findings, context } = run(c.record, c.peers);
      expect(applies).toBe(true);
      expect(findings.map((f) => f.messageId)).toEqual(c.findings.map((f) => f.messageId));
      c.findings.forEach((expected, i) => {
        const actual = findings[i]!;
        if (expected.data) expect(actual.data).toMatchObject(expected.data);
        if (expected.severity) expect(actual.severity ?? rule.severity).toBe(expected.severity);
        if (expected.header !== undefined) expect(actual.evidence[0]?.header ?? null).toBe(expected.header);
        // Every finding renders prose and fix guidance without throwing.
        expect(rule.messages[actual.messageId as keyof typeof rule.messages]?.(actual.data)).toBeTruthy();
        const guidance = rule.fix(context, actual);
        expect(guidance.summary.length).toBeGreaterThan(10);
        // The fix renders a snippet for every server stack the product supports.
        const fix = renderFix({ summary: guidance.summary, plan: { ...basePlan(context), ...guidance.plan } });
        expect(fix.snippets.map((snippet) => snippet.platform)).toEqual([...PLATFORMS]);
        for (const snippet of fix.snippets) expect(snippet.code.trim().length).toBeGreaterThan(40);
      });
    });
  }
}

import { describe, expect, it } from 'vitest';
import { stream } from '@/lib/model/builders';
import { createWhatIfEvaluator, evaluateWhatIf } from '@/lib/whatif/evaluate';
import { whatIfFrom, whatIfReducer, type WhatIfState } from '@/lib/whatif/state';

const PAGE = 'https://app.test';
const captured = stream({ url: 'https://api.test/events', pageOrigin: PAGE, acao: '*', credentials: true });

const verdictOf = (state: WhatIfState) => {
  const { chromium, firefox } = evaluateWhatIf(state).analysis.verdicts;
  return [`${chromium.outcome} ${chromium.corsError ?? ''}`.trim(), `${firefox.outcome} ${firefox.reason ?? ''}`.trim()];
};

describe('evaluateWhatIf', () => {
  it('recomputes both verdicts as the user types, through every intermediate text', () => {
    let state = whatIfFrom(captured);
    expect(verdictOf(state)).toEqual(['blocked WildcardOriginNotAllowed', 'blocked CORSNotSupportingCredentials']);
    const target = `Content-Type: text/event-stream\nAccess-Control-Allow-Origin: ${PAGE}\nAccess-Control-Allow-Credentials: true`;
    const seen = new Set<string>();
    for (let i = 0; i <= target.length; i++) {
      state = whatIfReducer(state, { type: 'set-response-headers', slot: 'final', text: target.slice(0, i) });
      seen.add(verdictOf(state).join(' / '));
    }
    expect(verdictOf(state)).toEqual(['open', 'open']);
    // On the way: no ACAO yet, a value that is no URL, one that is not the origin, the origin without credentials.
    expect([...seen]).toEqual([
      'blocked MissingAllowOriginHeader / blocked CORSMissingAllowOrigin',
      'blocked InvalidAllowOriginValue / blocked CORSAllowOriginNotMatchingOrigin',
      'blocked AllowOriginMismatch / blocked CORSAllowOriginNotMatchingOrigin',
      'blocked InvalidAllowCredentials / blocked CORSMissingAllowCredentials',
      'open / open',
    ]);
  });

  it('updates the findings with the verdicts', () => {
    const state = whatIfFrom(captured);
    expect(evaluateWhatIf(state).analysis.findings.map((f) => f.ruleId)).toContain('acao-wildcard-with-credentials');
    const fixed = whatIfReducer(state, { type: 'set-credentials', credentials: false });
    expect(evaluateWhatIf(fixed).analysis.findings.map((f) => f.ruleId)).not.toContain('acao-wildcard-with-credentials');
    expect(verdictOf(fixed)).toEqual(['open', 'open']);
  });
});

describe('createWhatIfEvaluator', () => {
  it('recomputes only when the state changed', () => {
    const evaluate = createWhatIfEvaluator();
    const state = whatIfFrom(captured);
    const first = evaluate(state);
    expect(evaluate(state)).toBe(first);
    const edited = whatIfReducer(state, { type: 'set-page-origin', value: 'https://other.test' });
    expect(evaluate(edited)).not.toBe(first);
    expect(evaluate(edited).scenario.record.pageOrigin).toBe('https://other.test');
  });
});

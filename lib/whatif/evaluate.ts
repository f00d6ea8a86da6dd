import { analyzeStream, type StreamAnalysis } from '../engine';
import { scenarioOf, type Scenario } from './scenario';
import type { WhatIfState } from './state';

/**
 * One recompute of the what-if: the scenario built from the state, then the whole engine on it
 * (both browsers' verdicts and every rule), exactly as for a capture. Run on every edit, so it is
 * kept well under a frame (see the what-if benchmark in test/bench).
 */
export interface WhatIfEvaluation {
  readonly state: WhatIfState;
  readonly scenario: Scenario;
  readonly analysis: StreamAnalysis;
}

export function evaluateWhatIf(state: WhatIfState): WhatIfEvaluation {
  const scenario = scenarioOf(state);
  return { state, scenario, analysis: analyzeStream(scenario.record) };
}

/**
 * The same, remembering the last answer: an editor re-rendered for an unrelated reason (the
 * capture moved on, the theme changed) does not recompute an unchanged state.
 */
export function createWhatIfEvaluator(): (state: WhatIfState) => WhatIfEvaluation {
  let last: WhatIfEvaluation | null = null;
  return (state) => {
    if (last?.state !== state) last = evaluateWhatIf(state);
    return last;
  };
}

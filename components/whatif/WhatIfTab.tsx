import { useMemo } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import type { Finding } from '@/lib/rules/define';
import { evaluateWhatIf } from '@/lib/whatif/evaluate';
import { whatIfFileName, whatIfReportJson } from '@/lib/whatif/export';
import { needsPreflight, problemCount } from '@/lib/whatif/scenario';
import type { ExchangeDraft, WhatIfAction, WhatIfState } from '@/lib/whatif/state';
import { usePanel } from '../app/store-context';
import { downloadText } from '../controls/copy';
import { ExchangeEditor, type NotSent } from './ExchangeEditor';
import { RequestEditor } from './RequestEditor';
import { ScenarioActions } from './ScenarioActions';
import { WhatIfFindings } from './WhatIfFindings';
import { WhatIfVerdicts, type DecidedAt } from './WhatIfVerdicts';

/**
 * Why the capture lacks the final exchange the editor assumed, and what it assumed, or null. Only
 * whatIfFrom makes a final without a captured exchange, and only when the browser never sent that request.
 */
function notSent(state: WhatIfState, draft: ExchangeDraft): NotSent | null {
  if (draft.captured !== null || draft.slot !== 'final') return null;
  const kinds = new Set(state.captured.exchanges.map((e) => e.kind));
  if (kinds.has('redirect')) return { because: 'it stopped at a redirect', assumed: 'a 200 event stream' };
  if (kinds.has('preflight')) return { because: 'it was refused at its preflight', assumed: 'a 200 event stream with the CORS lines its preflight answered' };
  return { because: 'no response was captured', assumed: 'a 200 event stream' };
}

/**
 * "What if": the selected stream as an editable scenario. Every edit goes through the pure
 * reducer (lib/whatif) and the whole engine runs again, so both browsers' verdicts and the
 * findings follow the text as it is typed. The capture itself is never changed.
 */
export function WhatIfTab({ stream }: { readonly stream: CapturedStream }) {
  const { store, host } = usePanel();
  const state = store.whatIf.stateFor(stream);
  const evaluation = useMemo(() => evaluateWhatIf(state), [state]);
  // Any draft can be reset: even one edited back to the capture stopped following the live capture.
  const edited = store.whatIf.drafts.value.has(stream.key);
  const dispatch = (action: WhatIfAction) => store.whatIf.dispatch(stream, action);
  const { scenario, analysis } = evaluation;
  const problems = scenario.problems;
  const drafts = state.exchanges;
  // The last attempt's exchanges: the scenario replays earlier attempts of a reconnect loop first.
  const exchanges = scenario.record.exchanges.slice(-drafts.length);
  const preflightNeeded = useMemo(() => needsPreflight(state), [state]);
  const raised = new Set(analysis.findings.map((f) => f.ruleId));
  const resolved = [...new Set(stream.analysis.findings.map((f) => f.ruleId))].filter((id) => !raised.has(id));
  const count = problemCount(problems);
  const finalAssumed = drafts.some((d) => notSent(state, d) !== null);
  const decidedAt = (index: number | null): DecidedAt | null => {
    const exchange = index === null ? undefined : scenario.record.exchanges[index];
    if (!exchange) return null;
    if (exchange.kind !== 'response') return { slot: exchange.kind, assumed: false };
    return { slot: 'final', assumed: finalAssumed };
  };

  const tryFix = (finding: Finding) => dispatch({ type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan });
  const exportScenario = () => {
    const now = new Date();
    const fileName = whatIfFileName(now);
    downloadText(fileName, whatIfReportJson(evaluation, stream.analysis, host.toolVersion, now));
    return fileName;
  };

  return (
    <div class="whatif" data-testid="whatif">
      <p class="muted whatif-intro">
        Change what the page asks and what the server answers: both browsers' verdicts are recomputed as you type. Nothing is sent anywhere.
      </p>
      <WhatIfVerdicts captured={stream.analysis.verdicts} predicted={analysis.verdicts} decidedAt={{ chromium: decidedAt(analysis.verdicts.chromium.exchangeIndex), firefox: decidedAt(analysis.verdicts.firefox.exchangeIndex) }} />
      {count > 0 ? (
        <p class="field-problem" data-testid="whatif-problem-count">
          {count === 1 ? '1 line is' : `${count} lines are`} not valid and left out of the scenario (marked below).
        </p>
      ) : null}
      <ScenarioActions edited={edited} onReset={() => dispatch({ type: 'reset' })} onExport={exportScenario} />
      <RequestEditor state={state} problems={problems} preflightMissing={preflightNeeded && !drafts.some((d) => d.slot === 'preflight')} dispatch={dispatch} />
      {drafts.map((draft, i) => (
        <ExchangeEditor
          key={draft.slot}
          draft={draft}
          exchange={exchanges[i]}
          problems={problems.exchanges[i]}
          unused={draft.slot === 'preflight' && !preflightNeeded}
          notSent={notSent(state, draft)}
          dispatch={dispatch}
        />
      ))}
      <WhatIfFindings findings={analysis.findings} resolved={resolved} onTryFix={tryFix} />
    </div>
  );
}

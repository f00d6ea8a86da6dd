import { useMemo } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import type { Finding } from '@/lib/rules/define';
import { evaluateWhatIf } from '@/lib/whatif/evaluate';
import { whatIfFileName, whatIfReportJson } from '@/lib/whatif/export';
import { needsPreflight, problemCount } from '@/lib/whatif/scenario';
import type { WhatIfAction } from '@/lib/whatif/state';
import { usePanel } from '../app/store-context';
import { downloadText } from '../controls/copy';
import { ExchangeEditor } from './ExchangeEditor';
import { RequestEditor } from './RequestEditor';
import { ScenarioActions } from './ScenarioActions';
import { WhatIfFindings } from './WhatIfFindings';
import { WhatIfVerdicts } from './WhatIfVerdicts';

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
      <WhatIfVerdicts captured={stream.analysis.verdicts} predicted={analysis.verdicts} />
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
          dispatch={dispatch}
        />
      ))}
      <WhatIfFindings findings={analysis.findings} resolved={resolved} onTryFix={tryFix} />
    </div>
  );
}

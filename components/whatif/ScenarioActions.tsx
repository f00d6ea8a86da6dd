import { useState } from 'preact/hooks';
import { analyzeCommand } from '@/lib/whatif/export';
import { CopyButton } from '../controls/CopyButton';
import { visibleText } from '../controls/format';

interface Props {
  /** Whether the scenario differs from the capture. */
  readonly edited: boolean;
  onReset(): void;
  /** Saves the scenario and returns the file name it was saved under. */
  onExport(): string;
}

/** Reset, export, and the command that re-evaluates an exported scenario. */
export function ScenarioActions({ edited, onReset, onExport }: Props) {
  const [fileName, setFileName] = useState<string | null>(null);
  const command = analyzeCommand(fileName ?? '<exported file>.json');
  return (
    <div class="whatif-actions">
      <button type="button" class="tool-button" data-testid="whatif-reset" disabled={!edited} onClick={onReset} title="Back to the headers as captured">
        Reset
      </button>
      <button type="button" class="tool-button" data-testid="whatif-export" onClick={() => setFileName(onExport())} title="Save the edited scenario as a JSON report">
        <span aria-hidden="true">⤓</span> Export scenario
      </button>
      <code class="whatif-command" data-testid="whatif-command">
        {visibleText(command)}
      </code>
      <CopyButton text={command} label="Copy the command that re-evaluates the exported scenario" />
    </div>
  );
}

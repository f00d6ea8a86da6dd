import type { CapturedStream } from '@/lib/capture/captured';
import { BrowserVerdicts } from './BrowserVerdicts';
import { CaptureNotice } from './CaptureNotice';
import { FindingCard } from './FindingCard';

/** What each browser does with the stream, then every finding, most severe first. */
export function DiagnosisTab({ stream }: { readonly stream: CapturedStream }) {
  const { analysis } = stream;
  return (
    <div class="diagnosis" data-testid="diagnosis">
      <CaptureNotice stream={stream} />
      <BrowserVerdicts verdicts={analysis.verdicts} showConsole={analysis.findings.length === 0} />
      {analysis.findings.length === 0 ? (
        <p class="no-findings">No problems found: both browsers receive this stream and no rule has anything to say.</p>
      ) : (
        <ol class="findings" aria-label="Findings">
          {analysis.findings.map((finding, index) => (
            <FindingCard key={`${finding.ruleId}-${index}`} finding={finding} index={index} stream={stream} />
          ))}
        </ol>
      )}
    </div>
  );
}

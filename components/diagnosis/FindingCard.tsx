import type { CapturedStream } from '@/lib/capture/captured';
import type { Finding } from '@/lib/rules/define';
import { SeverityBadge } from '../controls/SeverityBadge';
import { CopyFindingMarkdown } from '../export/CopyFindingMarkdown';
import { visibleText } from '../controls/format';
import { EvidenceList } from './EvidenceList';
import { FindingEffect } from './FindingEffect';
import { FixBlock } from './FixBlock';
import { TryFixButton } from './TryFixButton';

interface Props {
  readonly finding: Finding;
  readonly index: number;
  readonly stream: CapturedStream;
}

/** One finding; `data-rule-id` and `data-severity` are part of the panel's DOM contract. */
export function FindingCard({ finding, index, stream }: Props) {
  return (
    <li class={`finding severity-${finding.severity}-edge`} data-testid="finding" data-rule-id={finding.ruleId} data-severity={finding.severity}>
      <h2 class="finding-title">
        <SeverityBadge severity={finding.severity} /> {finding.title} <code class="rule-id">{finding.ruleId}</code>
      </h2>
      <p class="finding-message">{visibleText(finding.message)}</p>
      <FindingEffect finding={finding} verdicts={stream.analysis.verdicts} />
      <EvidenceList evidence={finding.evidence} record={stream.record} />
      <FixBlock finding={finding} index={index} />
      <TryFixButton finding={finding} stream={stream} />
      <CopyFindingMarkdown stream={stream} index={index} />
    </li>
  );
}

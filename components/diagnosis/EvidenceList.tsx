import type { StreamRecord } from '@/lib/model/record';
import type { Evidence } from '@/lib/rules/define';
import { visibleText } from '../controls/format';
import { describeEvidence } from './evidence';

export function EvidenceList({ evidence, record }: { readonly evidence: readonly Evidence[]; readonly record: StreamRecord }) {
  if (evidence.length === 0) return null;
  return (
    <ul class="evidence" aria-label="Evidence">
      {evidence.map((item, index) => {
        const text = describeEvidence(record, item);
        return (
          <li key={index} data-testid="evidence">
            {text.where ? <span class="evidence-where">{text.where}</span> : null}
            {text.header ? <mark class="evidence-header">{visibleText(text.header)}</mark> : null}
            {text.note ? <span class="evidence-note">({visibleText(text.note)})</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

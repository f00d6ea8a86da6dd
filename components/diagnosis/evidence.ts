import type { StreamRecord } from '@/lib/model/record';
import type { Evidence } from '@/lib/rules/define';

export interface EvidenceText {
  /** Which exchange: "response #1 (attempt 1, 200)", or null for the stream as a whole. */
  readonly where: string | null;
  /** The header line as sent ("Access-Control-Allow-Origin: *") or "… is missing". */
  readonly header: string | null;
  readonly note: string | null;
}

/** Evidence in words, the way the CLI's text report says it (lib/report/text.ts). */
export function describeEvidence(record: StreamRecord, evidence: Evidence): EvidenceText {
  let where: string | null = null;
  if (evidence.exchangeIndex !== null) {
    const exchange = record.exchanges[evidence.exchangeIndex];
    where = exchange
      ? `${exchange.kind} #${evidence.exchangeIndex + 1} (attempt ${exchange.attempt}, ${exchange.status ?? 'no response'})`
      : `exchange #${evidence.exchangeIndex + 1}`;
  }
  let header: string | null = null;
  if (evidence.header !== null) {
    const side = evidence.side === null ? '' : `${evidence.side} `;
    header = evidence.value === null ? `${side}header ${evidence.header} is missing` : `${evidence.header}: ${evidence.value}`;
  }
  // A `missing` note repeats what the header text already says.
  const note = evidence.note !== null && !(evidence.value === null && evidence.header !== null && evidence.note === 'missing') ? evidence.note : null;
  return { where, header, note };
}

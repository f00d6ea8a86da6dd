import { headerMapOf, type HeaderMap } from '../model/headers';
import { isSameOrigin, originOf } from '../model/origin';
import type { Exchange, StreamRecord } from '../model/record';
import { preflightRequirement, type PreflightRequirement } from '../cors/request-headers';
import type { Verdicts } from '../cors/verdict';
import { evidence, type Evidence } from './define';

/**
 * What every rule reads: the record, both verdicts, and headers parsed once per exchange.
 * Built once per record by the engine and shared by all rules.
 */
export interface RuleContext {
  readonly record: StreamRecord;
  readonly verdicts: Verdicts;
  /** Other streams of the same page, for rules about several streams (connection limits). */
  readonly peers: readonly StreamRecord[];
  readonly crossOrigin: boolean;
  readonly requirement: PreflightRequirement;
  headers(index: number): HeaderMap;
  /** Indexes of exchanges of one kind, in order. */
  indexesOf(kind: Exchange['kind']): number[];
  /** Index of the last non-preflight, non-redirect exchange with a response, or null. */
  readonly finalIndex: number | null;
  /** Evidence pointing at a response header of an exchange (first line, or "missing"). */
  responseHeaderEvidence(index: number, header: string): Evidence;
}

export function createContext(record: StreamRecord, verdicts: Verdicts, peers: readonly StreamRecord[] = []): RuleContext {
  const headers = (index: number): HeaderMap => headerMapOf(record.exchanges[index]?.responseHeaders ?? []);
  const indexesOf = (kind: Exchange['kind']) =>
    record.exchanges.flatMap((exchange, index) => (exchange.kind === kind ? [index] : []));
  let finalIndex: number | null = null;
  record.exchanges.forEach((exchange, index) => {
    if (exchange.kind === 'response' && exchange.status !== null) finalIndex = index;
  });
  return {
    record,
    verdicts,
    peers,
    crossOrigin: !isSameOrigin(originOf(record.url), record.pageOrigin),
    requirement: preflightRequirement(record.client.kind, record.client.method, record.client.headers),
    headers,
    indexesOf,
    finalIndex,
    responseHeaderEvidence(index, header) {
      const map = headers(index);
      const lineIndex = map.indexes(header)[0];
      const line = lineIndex === undefined ? undefined : map.lines[lineIndex];
      return evidence({
        exchangeIndex: index,
        side: 'response',
        header: line ? line[0] : header,
        value: line ? line[1] : null,
        lineIndex: lineIndex ?? null,
        note: line ? null : 'missing',
      });
    },
  };
}

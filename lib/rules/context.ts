import type { HeaderMap } from '../model/headers';
import { isSameOrigin, originOf } from '../model/origin';
import type { Exchange, StreamRecord } from '../model/record';
import { RecordFacts } from '../cors/facts';
import type { PreflightRequirement } from '../cors/request-headers';
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
  /** CORS is in play: the stream's URL or any hop of it (a redirect target) is foreign to the page. */
  readonly crossOrigin: boolean;
  readonly requirement: PreflightRequirement;
  /** Parsed headers and attempts, shared with the verdicts' walk. */
  readonly facts: RecordFacts;
  headers(index: number): HeaderMap;
  /** Indexes of exchanges of one kind, in order. */
  indexesOf(kind: Exchange['kind']): number[];
  /** Index of the last non-preflight, non-redirect exchange with a response, or null. */
  readonly finalIndex: number | null;
  /** Evidence pointing at a response header of an exchange (first line, or "missing"). */
  responseHeaderEvidence(index: number, header: string): Evidence;
  /** Computes a fact of the record once per context, however many rules ask for it. */
  derive<T>(compute: (context: RuleContext) => T): T;
}

export function createContext(
  record: StreamRecord,
  verdicts: Verdicts,
  peers: readonly StreamRecord[] = [],
  facts: RecordFacts = new RecordFacts(record),
): RuleContext {
  const headers = (index: number): HeaderMap => facts.responseHeaders(index);
  const byKind = new Map<Exchange['kind'], number[]>();
  const indexesOf = (kind: Exchange['kind']) => {
    let indexes = byKind.get(kind);
    if (!indexes) {
      indexes = [];
      for (let index = 0; index < record.exchanges.length; index++) if (record.exchanges[index]?.kind === kind) indexes.push(index);
      byKind.set(kind, indexes);
    }
    return indexes;
  };
  let finalIndex: number | null = null;
  record.exchanges.forEach((exchange, index) => {
    if (exchange.kind === 'response' && exchange.status !== null) finalIndex = index;
  });
  const derived = new Map<(context: RuleContext) => unknown, unknown>();
  const context: RuleContext = {
    record,
    verdicts,
    peers,
    crossOrigin:
      !isSameOrigin(originOf(record.url), record.pageOrigin) ||
      record.exchanges.some((_exchange, index) => !isSameOrigin(facts.exchangeOrigin(index), record.pageOrigin)),
    requirement: facts.requirement,
    facts,
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
    derive<T>(compute: (context: RuleContext) => T): T {
      if (derived.has(compute)) return derived.get(compute) as T;
      const value = compute(context);
      derived.set(compute, value);
      return value;
    },
  };
  return context;
}

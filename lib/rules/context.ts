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

/** One per record; a class so the engine allocates fields, not a dozen closures, per stream. */
class Context implements RuleContext {
  readonly crossOrigin: boolean;
  readonly requirement: PreflightRequirement;
  readonly finalIndex: number | null;
  private readonly byKind: { [K in Exchange['kind']]?: number[] } = {};
  private derived: Map<(context: RuleContext) => unknown, unknown> | null = null;

  constructor(
    readonly record: StreamRecord,
    readonly verdicts: Verdicts,
    readonly peers: readonly StreamRecord[],
    readonly facts: RecordFacts,
  ) {
    const page = record.pageOrigin;
    let crossOrigin = !isSameOrigin(originOf(record.url), page);
    let finalIndex: number | null = null;
    for (let index = 0; index < record.exchanges.length; index++) {
      const exchange = record.exchanges[index] as Exchange;
      if (!crossOrigin && !isSameOrigin(facts.exchangeOrigin(index), page)) crossOrigin = true;
      if (exchange.kind === 'response' && exchange.status !== null) finalIndex = index;
    }
    this.crossOrigin = crossOrigin;
    this.finalIndex = finalIndex;
    this.requirement = facts.requirement;
  }

  headers(index: number): HeaderMap {
    return this.facts.responseHeaders(index);
  }

  indexesOf(kind: Exchange['kind']): number[] {
    let indexes = this.byKind[kind];
    if (!indexes) {
      indexes = [];
      for (let index = 0; index < this.record.exchanges.length; index++) if (this.record.exchanges[index]?.kind === kind) indexes.push(index);
      this.byKind[kind] = indexes;
    }
    return indexes;
  }

  responseHeaderEvidence(index: number, header: string): Evidence {
    const map = this.headers(index);
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
  }

  derive<T>(compute: (context: RuleContext) => T): T {
    this.derived ??= new Map();
    const known = this.derived.get(compute);
    if (known !== undefined || this.derived.has(compute)) return known as T;
    const value = compute(this);
    this.derived.set(compute, value);
    return value;
  }
}

export function createContext(
  record: StreamRecord,
  verdicts: Verdicts,
  peers: readonly StreamRecord[] = [],
  facts: RecordFacts = new RecordFacts(record),
): RuleContext {
  return new Context(record, verdicts, peers, facts);
}

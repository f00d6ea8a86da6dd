import type { HeaderMap } from '../model/headers';
import { isSameOrigin } from '../model/origin';
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
  indexesOf(kind: Exchange['kind']): readonly number[];
  /** Index of the last non-preflight, non-redirect exchange with a response, or null. */
  readonly finalIndex: number | null;
  /** Evidence pointing at a response header of an exchange (first line, or "missing"). */
  responseHeaderEvidence(index: number, header: string): Evidence;
  /** Computes a fact of the record once per context, however many rules ask for it. */
  derive<T>(compute: (context: RuleContext) => T): T;
}

// How many facts rules derive per record (context.derive callers), to size the store once.
const DERIVED_FACTS = 8;

// Shared by every context for kinds a record does not have; never mutated (see indexesOf).
const NONE: number[] = [];
// The exchanges by kind of the most common record, a single response: shared, never mutated.
const ONE_RESPONSE: Readonly<Record<Exchange['kind'], number[]>> = { preflight: NONE, redirect: NONE, response: [0] };

/** One per record; a class so the engine allocates fields, not a dozen closures, per stream. */
class Context implements RuleContext {
  readonly crossOrigin: boolean;
  readonly requirement: PreflightRequirement;
  readonly finalIndex: number | null;
  private byKind: Readonly<Record<Exchange['kind'], number[]>> | null = null;
  // A handful of facts per record, as (compute, value) pairs in one array scanned by identity:
  // cheaper than allocating a Map, or two parallel arrays, per record. Sized for the facts the
  // rules derive today, so it is not grown pair by pair (it still grows if they ever derive more).
  private readonly derived: unknown[] = new Array<unknown>(2 * DERIVED_FACTS);
  private derivedLength = 0;

  constructor(
    readonly record: StreamRecord,
    readonly verdicts: Verdicts,
    readonly peers: readonly StreamRecord[],
    readonly facts: RecordFacts,
  ) {
    const page = record.pageOrigin;
    let crossOrigin = !isSameOrigin(facts.streamOrigin, page);
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

  indexesOf(kind: Exchange['kind']): readonly number[] {
    // Rules ask for all three kinds: sort the exchanges once.
    this.byKind ??= this.sortByKind();
    return this.byKind[kind];
  }

  private sortByKind(): Readonly<Record<Exchange['kind'], number[]>> {
    const exchanges = this.record.exchanges;
    if (exchanges.length === 1 && exchanges[0]?.kind === 'response') return ONE_RESPONSE;
    // Most streams have no preflight and no redirect: those kinds share one empty list.
    const byKind: Record<Exchange['kind'], number[]> = { preflight: NONE, redirect: NONE, response: NONE };
    for (let index = 0; index < exchanges.length; index++) {
      // Captured records are hostile input: an exchange of an unknown kind is listed nowhere.
      const kind = (exchanges[index] as Exchange).kind;
      const list = byKind[kind] as number[] | undefined;
      if (list === undefined) continue;
      if (list === NONE) byKind[kind] = [index];
      else list.push(index);
    }
    return byKind;
  }

  responseHeaderEvidence(index: number, header: string): Evidence {
    const map = this.headers(index);
    const lineIndex = map.firstIndex(header);
    const line = lineIndex < 0 ? undefined : map.lines[lineIndex];
    return evidence({
      exchangeIndex: index,
      side: 'response',
      header: line ? line[0] : header,
      value: line ? line[1] : null,
      lineIndex: lineIndex < 0 ? null : lineIndex,
      note: line ? null : 'missing',
    });
  }

  derive<T>(compute: (context: RuleContext) => T): T {
    const derived = this.derived;
    for (let i = 0; i < this.derivedLength; i += 2) if (derived[i] === compute) return derived[i + 1] as T;
    const value = compute(this);
    derived[this.derivedLength] = compute;
    derived[this.derivedLength + 1] = value;
    this.derivedLength += 2;
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

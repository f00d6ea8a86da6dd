import { performance } from 'node:perf_hooks';
import { stream } from '../../lib/model/builders';
import type { StreamRecord } from '../../lib/model/record';
import { evaluateWhatIf } from '../../lib/whatif/evaluate';
import { whatIfFrom, whatIfReducer, type WhatIfState } from '../../lib/whatif/state';
import { corpus } from './corpus';

/**
 * Issue 10's figure: what one keystroke in the what-if editor costs. For every recorded stream
 * (each playground endpoint x client scenario, captured by the CLI), a header line is typed
 * character by character into the final response's text, and each keystroke is timed on its
 * own: the reducer, the scenario built from the texts, and the whole engine (both browsers'
 * verdicts and every rule). Warm-up first, then every keystroke of several rounds counts.
 */
const ROUNDS = 5;
const TYPED = 'Access-Control-Allow-Origin: http://localhost:18080';

function typeInto(state: WhatIfState, timings: number[] | null): number {
  let current = state;
  let sink = 0;
  const base = current.exchanges.find((d) => d.slot === 'final')?.headers ?? '';
  for (let i = 1; i <= TYPED.length; i++) {
    const start = performance.now();
    current = whatIfReducer(current, { type: 'set-response-headers', slot: 'final', text: `${base}\n${TYPED.slice(0, i)}` });
    sink += evaluateWhatIf(current).analysis.findings.length;
    timings?.push(performance.now() - start);
  }
  return sink;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Measured {
  /** Every keystroke of every round, sorted. */
  readonly timings: number[];
  /** Each keystroke's best round, sorted: its cost without the other engineers' processes preempting it. */
  readonly best: number[];
  readonly opens: number[];
}

function measure(records: readonly StreamRecord[]): Measured {
  const rounds: number[][] = [];
  const opens: number[] = [];
  let sink = 0;
  for (const record of records) sink += typeInto(whatIfFrom(record), null);
  for (let round = 0; round < ROUNDS; round++) {
    const timings: number[] = [];
    for (const record of records) {
      const start = performance.now();
      const state = whatIfFrom(record);
      opens.push(performance.now() - start);
      sink += typeInto(state, timings);
    }
    rounds.push(timings);
  }
  if (sink < 0) console.log(sink);
  const first = rounds[0] ?? [];
  const best = first.map((_, k) => Math.min(...rounds.map((timings) => timings[k] ?? Infinity)));
  return { timings: rounds.flat().sort((a, b) => a - b), best: best.sort((a, b) => a - b), opens: opens.sort((a, b) => a - b) };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;

function report(label: string, { timings, best, opens }: Measured): void {
  console.log(`${label}: ${best.length} keystrokes x ${ROUNDS} rounds`);
  console.log(`  recompute per keystroke: median ${ms(percentile(timings, 50))}, p95 ${ms(percentile(timings, 95))}, p99 ${ms(percentile(timings, 99))}, max ${ms(timings.at(-1) ?? 0)} (target < 2 ms)`);
  console.log(`  slowest keystroke, best of its ${ROUNDS} rounds: ${ms(best.at(-1) ?? 0)}`);
  console.log(`  opening the editor (whatIfFrom): median ${ms(percentile(opens, 50))}, max ${ms(opens.at(-1) ?? 0)}`);
}

// Every distinct recorded stream once: the corpus cycles them, so one round of its length covers all.
const recorded = corpus(1000).filter((record, i, all) => all.findIndex((r) => r.url === record.url && r.client.kind === record.client.kind && r.client.credentials === record.client.credentials && r.client.headers.length === record.client.headers.length) === i);
report(`typical: ${recorded.length} recorded streams`, measure(recorded));

// The panel's firehose case: one stream with very many events (the rules read them all).
for (const count of [10_000, 100_000]) {
  const events = Array.from({ length: count }, (_, i) => ({ at: 20 + i * 0.2, data: `{"n":${i}}` }));
  const big = stream({ url: 'http://127.0.0.1:18081/sse/firehose', pageOrigin: 'http://localhost:18080', acao: '*', events, observedFor: 20 + count * 0.2 });
  report(`large: one stream of ${count} events`, measure([big]));
}

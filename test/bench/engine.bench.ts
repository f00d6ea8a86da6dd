import { performance } from 'node:perf_hooks';
import { analyzeStream } from '../../lib/engine';
import type { StreamRecord } from '../../lib/model/record';
import { corpus } from './corpus';

/**
 * Issue 3's figure: evaluating 10,000 recorded streams through the full engine (both verdicts and
 * every rule) against JSON.parse of the same records, in one run. Best of several rounds for each,
 * after a warm-up, so JIT and GC noise count the same on both sides.
 */
const COUNT = 10_000;
const ROUNDS = 7;

/** Runs `prepare` untimed, then times `run` on what it prepared; best of ROUNDS (+1 warm-up). */
function best<T>(prepare: () => T, run: (input: T) => void): number {
  let min = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const input = prepare();
    const start = performance.now();
    run(input);
    const elapsed = performance.now() - start;
    if (round > 0) min = Math.min(min, elapsed);
  }
  return min;
}

const records = corpus(COUNT);
const json = records.map((record) => JSON.stringify(record));
let sink = 0;

const parseMs = best(
  () => json,
  (texts) => {
    for (const text of texts) sink += (JSON.parse(text) as StreamRecord).exchanges.length;
  },
);
// Fresh parsed copies each round, so no header map parsed in an earlier round is reused.
const engineMs = best(
  () => json.map((text) => JSON.parse(text) as StreamRecord),
  (fresh) => {
    for (const record of fresh) sink += analyzeStream(record).findings.length;
  },
);

const bytes = json.reduce((n, text) => n + text.length, 0);
console.log(`records: ${COUNT} (${(bytes / 1e6).toFixed(1)} MB of JSON)`);
console.log(`JSON.parse: ${parseMs.toFixed(1)} ms`);
console.log(`engine:     ${engineMs.toFixed(1)} ms (verdicts for both browsers + every rule)`);
console.log(`ratio engine/parse: ${(engineMs / parseMs).toFixed(2)} (target <= 1.0)`);
if (sink < 0) console.log(sink);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Runs a benchmark on the engine as it ships: bundled and minified the way the extension's build
 * does it, not through the dev-time TypeScript loader (whose per-function name bookkeeping would
 * be measured instead of the engine). Usage: tsx test/bench/run.ts <benchmark file>.
 */
const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, process.argv[2] ?? 'engine.bench.ts');
const outdir = mkdtempSync(join(tmpdir(), 'sse-bench-'));
try {
  const outfile = join(outdir, 'bench.mjs');
  await build({ entryPoints: [entry], bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error', define: { 'import.meta.dirname': JSON.stringify(here) } });
  const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

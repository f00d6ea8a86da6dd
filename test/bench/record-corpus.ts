import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureStream } from '../../cli/client/capture';
import { DEFAULT_DURATION_MS } from '../../cli/main';
import type { StreamRecord } from '../../lib/model/record';
import { startPlayground } from '../../playground/server';
import { clientOf } from '../browser-truth/scenarios';
import type { Scenario } from '../browser-truth/observe';

/**
 * Records the benchmark corpus: every playground endpoint in every client scenario it lists,
 * captured for real by the CLI's browser emulation with the CLI's default settings (5 s of
 * watching). Run with `npm run bench:record`; the output
 * is committed so `npm run bench` measures the same records on every machine.
 */
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'recorded-streams.json');

async function main(): Promise<void> {
  const playground = await startPlayground();
  const records: StreamRecord[] = [];
  try {
    const jobs = playground.endpoints.flatMap((endpoint) => endpoint.scenarios.map((scenario) => ({ endpoint, scenario: scenario as Scenario })));
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { client, credentials, headers } = clientOf(job.scenario);
        const { record } = await captureStream({
          url: playground.urlFor(job.endpoint.id, job.endpoint.startOn),
          pageOrigin: playground.pageOrigin,
          client,
          credentials,
          method: 'GET',
          headers,
          // Recorded exactly as `sse-inspector check` records by default.
          durationMs: DEFAULT_DURATION_MS,
          probeSecurity: false,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
        });
        records.push({ ...record, id: `${job.endpoint.id}-${job.scenario}` });
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
  } finally {
    await playground.close();
  }
  records.sort((a, b) => a.id.localeCompare(b.id));
  writeFileSync(OUT, `${JSON.stringify(records)}\n`);
  console.log(`recorded ${records.length} streams into ${OUT}`);
}

void main();

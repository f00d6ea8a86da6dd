import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureStream } from '../../../cli/client/capture';
import type { HeaderList } from '../../../lib/model/headers';
import type { ClientKind, StreamRecord } from '../../../lib/model/record';
import { startPlayground } from '../../../playground/server';

/**
 * Records the sample capture the report golden files are rendered from: a few playground
 * endpoints, each broken in a different way (and one that works), captured for real by the
 * CLI's browser emulation on fixed ports. Run `npx tsx test/lib/report/record-sample.ts`, then
 * `npx tsx test/lib/report/write-goldens.ts`, and review the golden files' diff.
 */
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/report/sample-capture.json');

interface SampleCase {
  readonly endpoint: string;
  readonly client: ClientKind;
  readonly credentials: boolean;
  readonly headers?: HeaderList;
  readonly query?: string;
}

const CASES: readonly SampleCase[] = [
  { endpoint: 'acao-wildcard', client: 'eventsource', credentials: true },
  // A bearer token and an API key: what redaction must hide.
  { endpoint: 'control-preflight-authorization', client: 'fetch', credentials: true, headers: [['Authorization', 'Bearer sample-bearer-token-8f3a2c']] },
  { endpoint: 'preflight-missing-allow-headers', client: 'fetch', credentials: false, headers: [['X-API-Key', 'sample-api-key-51d0e9']] },
  { endpoint: 'stream-query-token', client: 'eventsource', credentials: false },
  { endpoint: 'mime-charset-iso-8859-1', client: 'eventsource', credentials: false },
  { endpoint: 'reconnect-loop', client: 'eventsource', credentials: false },
];

async function main(): Promise<void> {
  // Fixed ports, so re-recording changes only what the servers said.
  const playground = await startPlayground({ pagePort: 18180, apiPort: 18181, api2Port: 18182 });
  const records: StreamRecord[] = [];
  try {
    for (const [index, sample] of CASES.entries()) {
      const { record } = await captureStream({
        url: playground.urlFor(sample.endpoint),
        pageOrigin: playground.pageOrigin,
        client: sample.client,
        credentials: sample.credentials,
        method: 'GET',
        headers: sample.headers ?? [],
        durationMs: 4000,
        probeSecurity: false,
        userAgent: 'sse-inspector/sample',
      });
      records.push({ ...record, id: `sample-${index + 1}-${sample.endpoint}` });
    }
  } finally {
    await playground.close();
  }
  writeFileSync(OUT, `${JSON.stringify(records, null, 1)}\n`);
  console.log(`recorded ${records.length} streams into ${OUT}`);
}

void main();

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StreamRecord } from '../../lib/model/record';

/**
 * The benchmark's records: every playground endpoint in every client scenario, captured for real
 * by the CLI (`npm run bench:record`), cycled to the requested count with distinct ids. The two
 * huge-event recordings (256 KB each) are left out: they would make JSON.parse, the baseline,
 * look slow and flatter the ratio.
 */
// import.meta.dirname is replaced at bundle time by the bench runner (the bundle lives elsewhere).
const RECORDED = join(import.meta.dirname ?? dirname(fileURLToPath(import.meta.url)), 'recorded-streams.json');
const MAX_RECORD_JSON = 64 * 1024;

export function corpus(count: number): StreamRecord[] {
  const recorded = (JSON.parse(readFileSync(RECORDED, 'utf8')) as StreamRecord[]).filter((record) => JSON.stringify(record).length <= MAX_RECORD_JSON);
  return Array.from({ length: count }, (_, i) => {
    const record = recorded[i % recorded.length] as StreamRecord;
    return { ...record, id: `${record.id}#${i}` };
  });
}

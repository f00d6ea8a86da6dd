/**
 * Starts the playground: `tsx playground/main.ts --page-port 8080 --api-port 8081 --api2-port 8082`.
 * Port 0 picks a free port.
 */
import { parseArgs } from 'node:util';
import { startPlayground } from './server';

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    console.error(`--${flag} must be a port number (0-65535), got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return parsed;
}

const { values } = parseArgs({
  options: {
    'page-port': { type: 'string' },
    'api-port': { type: 'string' },
    'api2-port': { type: 'string' },
  },
});

const playground = await startPlayground({
  pagePort: port(values['page-port'], 8080, 'page-port'),
  apiPort: port(values['api-port'], 8081, 'api-port'),
  api2Port: port(values['api2-port'], 8082, 'api2-port'),
});

console.log(`SSE playground: ${playground.pageOrigin}/`);
console.log(`  API  ${playground.apiOrigin}   API2 ${playground.api2Origin}   ${playground.endpoints.length} endpoints`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void playground.close().then(() => process.exit(0));
  });
}

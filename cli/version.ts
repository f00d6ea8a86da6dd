import { readFileSync } from 'node:fs';

/** The version in package.json, read once; the CLI reports it and stamps it into reports. */
let cached: string | null = null;

export function toolVersion(): string {
  if (cached !== null) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}

import { preflightRequirement } from '../cors/request-headers';
import { originOf } from '../model/origin';
import type { StreamRecord } from '../model/record';

/**
 * Terminal commands that reproduce a captured stream: `curl` for the raw exchange and
 * `sse-inspector check` for the same diagnosis outside the browser (cli/main.ts's options).
 */

/** POSIX shell single quotes: safe for any value, including quotes and `$`. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function crossOrigin(record: StreamRecord): boolean {
  return originOf(record.url) !== record.pageOrigin;
}

/** The request the page's client sends, as a streaming curl that prints the response headers. */
export function curlCommand(record: StreamRecord): string {
  const parts = ['curl', '-N', '-sS', '-D', '-'];
  const { client } = record;
  if (client.kind === 'fetch' && client.method.toUpperCase() !== 'GET') parts.push('-X', shellQuote(client.method));
  // EventSource always sends these two; a fetch client sends only what its code set.
  if (client.kind === 'eventsource') parts.push('-H', shellQuote('Accept: text/event-stream'), '-H', shellQuote('Cache-Control: no-cache'));
  for (const [name, value] of client.headers) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (crossOrigin(record)) parts.push('-H', shellQuote(`Origin: ${record.pageOrigin}`));
  parts.push(shellQuote(record.url));
  return parts.join(' ');
}

/** The preflight a browser sends first, or null when this stream needs none. */
export function preflightCurlCommand(record: StreamRecord): string | null {
  const requirement = preflightRequirement(record.client.kind, record.client.method, record.client.headers);
  const recorded = record.exchanges.some((exchange) => exchange.kind === 'preflight');
  if (!crossOrigin(record) || (!requirement.needed && !recorded)) return null;
  const parts = ['curl', '-sS', '-i', '-X', 'OPTIONS', '-H', shellQuote(`Origin: ${record.pageOrigin}`)];
  parts.push('-H', shellQuote(`Access-Control-Request-Method: ${requirement.method}`));
  if (requirement.headers.length > 0) parts.push('-H', shellQuote(`Access-Control-Request-Headers: ${requirement.headers.join(',')}`));
  parts.push(shellQuote(record.url));
  return parts.join(' ');
}

/** `sse-inspector check` with the page's origin, client, credentials, method and headers. */
export function checkCommand(record: StreamRecord): string {
  const { client } = record;
  const parts = ['sse-inspector', 'check', shellQuote(record.url), '--origin', shellQuote(record.pageOrigin)];
  if (client.kind === 'fetch') parts.push('--client', 'fetch');
  if (client.credentials === 'include') parts.push('--credentials');
  if (client.kind === 'fetch' && client.method.toUpperCase() !== 'GET') parts.push('--method', shellQuote(client.method));
  if (client.kind === 'fetch') for (const [name, value] of client.headers) parts.push('-H', shellQuote(`${name}: ${value}`));
  return parts.join(' ');
}

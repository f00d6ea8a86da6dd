import type { Exchange, StreamRecord } from '../model/record';
import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { parseUrl } from './support/address-space';

/** Chromium and Firefox: at most 6 HTTP/1.1 connections per host (scheme, host, port) per profile. */
export const HTTP1_CONNECTIONS_PER_HOST = 6;

function lastResponse(record: StreamRecord): Exchange | undefined {
  return record.exchanges.filter((exchange) => exchange.kind === 'response').at(-1);
}

/** `host:port` the stream's connection goes to, with the scheme's default port spelled out. */
function hostKey(record: StreamRecord): string | null {
  const url = parseUrl(lastResponse(record)?.url ?? record.url);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** Still holding an HTTP/1.x connection at the end of observation. */
function openOverHttp1(record: StreamRecord): boolean {
  const response = lastResponse(record);
  if (!response || response.status === null || response.status < 200 || response.status > 299) return false;
  return response.bodyEnd === null && /^http\/1(\.\d)?$/i.test(response.httpVersion ?? '');
}

/** Waiting for response headers: no status, no error. */
function pending(record: StreamRecord): boolean {
  const response = lastResponse(record);
  return response !== undefined && response.status === null && response.error === null && response.bodyEnd === null;
}

export interface HostLoad {
  readonly host: string;
  /** Peers to the same host still open over HTTP/1.x. */
  readonly openPeers: number;
  /** Peers to the same host still waiting for headers. */
  readonly pendingPeers: number;
}

/**
 * Timings of different records are not comparable (each starts at its own zero), so "at the same
 * time" means "still open (or pending) when observation stopped", which the capture snapshots together.
 */
export function hostLoad(context: RuleContext): HostLoad | null {
  const host = hostKey(context.record);
  if (host === null) return null;
  const sameHost = context.peers.filter((peer) => hostKey(peer) === host);
  return { host, openPeers: sameHost.filter(openOverHttp1).length, pendingPeers: sameHost.filter(pending).length };
}

/** This stream waits for headers because the browser has no free HTTP/1.1 connection to give it. */
export function queuedBehindConnectionLimit(context: RuleContext): boolean {
  const load = hostLoad(context);
  return load !== null && pending(context.record) && load.openPeers >= HTTP1_CONNECTIONS_PER_HOST;
}

export default defineRule<'too-many-streams' | 'queued'>({
  id: 'connection-limit-per-host',
  title: 'Streams fit in the per-host connection limit',
  failureTitle: 'Too many HTTP/1.1 streams to one host',
  severity: 'warning',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/API/EventSource',
  messages: {
    'too-many-streams': (d) => `${d.count} streams to ${d.host} want HTTP/1.1 connections at once; the browser allows 6 per host across all tabs, so the rest (and every other request to ${d.host}) wait.`,
    queued: (d) => `This stream is still waiting for a response because ${d.count} other streams already hold all 6 HTTP/1.1 connections to ${d.host}; the browser has not even sent it.`,
  },
  requires: ['peers'],
  appliesTo: (context) => context.peers.length >= HTTP1_CONNECTIONS_PER_HOST,
  check(context) {
    const load = hostLoad(context);
    if (!load) return NO_FINDINGS;
    const where = [evidence({ exchangeIndex: null, note: `${load.openPeers} open HTTP/1.1 peers to ${load.host}` })];
    if (queuedBehindConnectionLimit(context)) {
      return [{ messageId: 'queued', data: { host: load.host, count: load.openPeers }, evidence: where, severity: 'error' }];
    }
    if (!openOverHttp1(context.record)) return NO_FINDINGS;
    const count = 1 + load.openPeers + load.pendingPeers;
    if (count <= HTTP1_CONNECTIONS_PER_HOST) return NO_FINDINGS;
    return [{ messageId: 'too-many-streams', data: { host: load.host, count }, evidence: where }];
  },
  fix: () => ({
    summary: 'Serve the streams over HTTP/2 (one connection carries them all), or open one stream per origin and share it between tabs with a SharedWorker or BroadcastChannel.',
  }),
});

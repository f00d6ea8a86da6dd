import { headerMapOf, type HeaderLine, type HeaderList } from '../../lib/model/headers';
import type { ClientKind, OriginProbe } from '../../lib/model/record';
import { probeOrigins } from '../../lib/security/probe-origins';
import { sendRequest, type Clock } from './http';

/**
 * `--probe-security`: the stream's own request again, once per hostile Origin, to see which
 * origins the server would trust (browser-facts §7). Only a non-browser client can send these
 * Origins. No preflight, no redirects followed, and the body is never read: the answer is in
 * the response headers.
 */

export interface ProbeOptions {
  readonly url: URL;
  readonly pageOrigin: string;
  /** The page's own headers (fetch clients), so an authenticated endpoint answers as it would. */
  readonly headers: HeaderList;
  readonly client: ClientKind;
  readonly userAgent: string;
  readonly clock: Clock;
  /** Per probe, for the connection and the response headers together. */
  readonly timeout: number;
}

export async function probeSecurity(options: ProbeOptions): Promise<OriginProbe[]> {
  const { url, headers, client, userAgent, clock, timeout } = options;
  const probes = probeOrigins(options.pageOrigin);
  // Independent requests: sent together so the probes cost one timeout, not seven.
  return Promise.all(
    probes.map(async ({ kind, origin }) => {
      const lines: HeaderLine[] = [['Host', url.host]];
      if (client === 'eventsource') lines.push(['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache']);
      else lines.push(...headers);
      lines.push(['Origin', origin], ['User-Agent', userAgent], ['Connection', 'close']);
      const deadline = clock() + timeout;
      const outcome = await sendRequest({ url, method: 'GET', headers: lines, clock, deadline, connectTimeout: timeout });
      if (outcome.kind !== 'response') return { kind, origin, status: null, allowOrigin: null, allowCredentials: null };
      outcome.response.abort();
      const map = headerMapOf(outcome.response.headers);
      return {
        kind,
        origin,
        status: outcome.response.status,
        allowOrigin: map.get('access-control-allow-origin'),
        allowCredentials: map.get('access-control-allow-credentials'),
      };
    }),
  );
}

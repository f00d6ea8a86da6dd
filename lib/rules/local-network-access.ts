import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { mixedContent } from './mixed-content-stream';
import { ADDRESS_SPACE_RANK, addressSpaceOf, parseUrl, type AddressSpace } from './support/address-space';

export interface LocalNetworkRequest {
  readonly pageSpace: AddressSpace;
  readonly targetSpace: AddressSpace;
  readonly host: string;
  /** Only a secure context may ask for the permission; anywhere else the request just fails. */
  readonly securePage: boolean;
}

/**
 * A request that climbs the LNA ladder (public → local → loopback), judged from host names:
 * the record does not say what a domain name resolved to, so domain names count as public.
 */
export function localNetworkRequest(context: RuleContext): LocalNetworkRequest | null {
  return context.derive(findLocalNetworkRequest);
}

function findLocalNetworkRequest(context: RuleContext): LocalNetworkRequest | null {
  const page = parseUrl(context.record.pageOrigin);
  if (!page || (page.protocol !== 'https:' && page.protocol !== 'http:')) return null;
  const pageSpace = addressSpaceOf(page.hostname);
  // Nothing is more private than loopback: a loopback page never climbs the ladder.
  if (pageSpace === 'loopback') return null;
  const urls = [context.record.url, ...context.record.exchanges.map((exchange) => exchange.url)];
  for (const raw of urls) {
    const url = parseUrl(raw);
    if (!url) continue;
    const targetSpace = addressSpaceOf(url.hostname);
    if (ADDRESS_SPACE_RANK[targetSpace] > ADDRESS_SPACE_RANK[pageSpace]) {
      return { pageSpace, targetSpace, host: url.host, securePage: page.protocol === 'https:' || addressSpaceOf(page.hostname) === 'loopback' };
    }
  }
  return null;
}

const PERMISSION: Readonly<Record<AddressSpace, string>> = { public: '', local: 'local-network', loopback: 'loopback-network' };

export default defineRule<'permission-required' | 'insecure-context'>({
  id: 'local-network-access',
  title: 'Stream stays in the page’s address space',
  failureTitle: 'Stream reaches a local or loopback address from a more public page',
  severity: 'warning',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/Security/Defenses/Local_network_access',
  messages: {
    'permission-required': (d) =>
      `This ${d.pageSpace} page opens a stream on ${d.host} (${d.targetSpace}): Chromium 142+ holds it until the user grants the ${d.permission} permission and fails it (LocalNetworkAccessPermissionDenied) if they decline.`,
    'insecure-context': (d) =>
      `This ${d.pageSpace} page is not a secure context, so it cannot even ask for the ${d.permission} permission: Chromium 142+ blocks the stream on ${d.host} (${d.targetSpace}).`,
  },
  appliesTo: (context) => localNetworkRequest(context) !== null,
  check(context) {
    const request = localNetworkRequest(context);
    // Mixed content blocks first, before any request: mixed-content-stream owns that stream.
    if (!request || mixedContent(context)) return NO_FINDINGS;
    const data = { host: request.host, pageSpace: request.pageSpace, targetSpace: request.targetSpace, permission: PERMISSION[request.targetSpace] };
    const where = [evidence({ note: `${request.pageSpace} page → ${request.targetSpace} ${request.host}` })];
    if (!request.securePage) return [{ messageId: 'insecure-context', data, evidence: where, severity: 'error' }];
    return [{ messageId: 'permission-required', data, evidence: where }];
  },
  fix: (_context, finding) =>
    finding.messageId === 'insecure-context'
      ? { summary: 'Serve the page over https so it can ask for the permission, or serve page and stream from the same address space (e.g. both on the local server).' }
      : {
          summary: `Expect a ${String(finding.data.permission)} permission prompt and handle a refusal (the EventSource fails); to avoid it, serve the stream from a public host or the page from the local network. Access-Control-Allow-Private-Network headers no longer help.`,
        },
});

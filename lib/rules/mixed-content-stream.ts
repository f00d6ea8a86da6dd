import { isRedirectExchange } from '../cors/walk';
import { resolveLocation, type ParsedUrl } from '../model/origin';
import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { isLocalLiteral, isPotentiallyTrustworthyHost, parseUrl } from './support/address-space';

type MessageId = 'insecure-stream' | 'insecure-redirect' | 'insecure-local-stream';

export interface MixedContent {
  readonly messageId: MessageId;
  readonly url: string;
  /** The redirect exchange that led to the insecure URL; null for the stream URL itself. */
  readonly exchangeIndex: number | null;
}

function securePage(context: RuleContext): boolean {
  return parseUrl(context.record.pageOrigin)?.protocol === 'https:';
}

/** An http:// URL a secure page may not fetch: not loopback (Secure Contexts: potentially trustworthy). */
function insecure(url: string): ParsedUrl | null {
  const parsed = parseUrl(url);
  return parsed && parsed.protocol === 'http:' && !isPotentiallyTrustworthyHost(parsed.hostname) ? parsed : null;
}

/** The first insecure URL on the stream's way (its own URL, then each redirect target), if any. */
export function mixedContent(context: RuleContext): MixedContent | null {
  return context.derive(findMixedContent);
}

function findMixedContent(context: RuleContext): MixedContent | null {
  if (!securePage(context)) return null;
  const own = insecure(context.record.url);
  if (own) {
    // Chromium 142+ lets a private IP literal or .local host through after a Local Network Access grant; Firefox blocks it.
    return { messageId: isLocalLiteral(own.hostname) ? 'insecure-local-stream' : 'insecure-stream', url: own.href, exchangeIndex: null };
  }
  for (const [index, exchange] of context.record.exchanges.entries()) {
    if (exchange.kind !== 'redirect' && !isRedirectExchange(exchange)) continue;
    const location = context.headers(index).get('location');
    const target = location === null ? null : resolveLocation(location, exchange.url);
    const hop = target === null ? null : insecure(target);
    if (hop) return { messageId: 'insecure-redirect', url: hop.href, exchangeIndex: index };
  }
  return null;
}

export default defineRule<MessageId>({
  id: 'mixed-content-stream',
  title: 'Secure page opens a secure stream',
  failureTitle: 'https page opens an http:// stream (mixed content)',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content',
  messages: {
    'insecure-stream': (d) => `The https page opens ${d.url} over plain http: both browsers block it as mixed content before sending any request.`,
    'insecure-redirect': (d) => `The stream redirects to ${d.url} over plain http: both browsers block the redirect as mixed content.`,
    'insecure-local-stream': (d) =>
      `The https page opens ${d.url} over plain http. Firefox blocks it as mixed content; Chromium 142+ lets it through only after the user grants Local Network Access.`,
  },
  appliesTo: securePage,
  check(context) {
    const found = mixedContent(context);
    if (!found) return NO_FINDINGS;
    const where =
      found.exchangeIndex === null
        ? evidence({ value: found.url, note: 'http:// from an https page' })
        : context.responseHeaderEvidence(found.exchangeIndex, 'Location');
    return [{ messageId: found.messageId, data: { url: found.url }, evidence: [where] }];
  },
  fix(_context, finding) {
    const secureUrl = String(finding.data.url).replace(/^http:/i, 'https:');
    return {
      summary: `Serve the stream over https (${secureUrl}) and point the page (or the redirect) at it.`,
      ...(finding.messageId === 'insecure-redirect' ? {} : { plan: { streamUrl: secureUrl } }),
    };
  },
});

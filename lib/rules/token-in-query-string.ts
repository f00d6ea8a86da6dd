import type { StreamRecord } from '../model/record';
import type { RuleContext } from './context';
import { defineRule, evidence, type RawFinding } from './define';
import { isEventSource } from './helpers';
import type { ParsedUrl } from '../model/origin';
import { parseUrl } from './support/address-space';
import { isSecretParameterName as secretName, JWT } from './support/secrets';

type MessageId = 'secret-parameter' | 'jwt-value';

/** Methods a preflight never needs to list (Fetch: CORS-safelisted methods). */
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST'];

/** A query parameter that carries a secret, by name or by a JWT value. */
interface SecretParameter {
  readonly parameter: string;
  readonly messageId: MessageId;
}

/** What this rule needs of one URL with a non-empty query: its href (to tell URLs apart) and its secret parameters. */
interface QueryUrl {
  readonly href: string;
  readonly secrets: readonly SecretParameter[];
}

// A redirect chain repeats the same few URLs, and every analysis of a stream asks again: read each
// URL's query once. Bounded, as captured URLs are hostile input.
const queryUrlCache = new Map<string, QueryUrl | null>();
const QUERY_URL_CACHE_LIMIT = 1024;

/** The URL's query facts, or null when it has no non-empty query or does not parse. */
function queryUrlOf(raw: string): QueryUrl | null {
  let known = queryUrlCache.get(raw);
  if (known === undefined) {
    const url = parseUrl(raw);
    known = url && url.search.length > 1 ? { href: url.href, secrets: secretParameters(url) } : null;
    if (queryUrlCache.size >= QUERY_URL_CACHE_LIMIT) queryUrlCache.clear();
    queryUrlCache.set(raw, known);
  }
  return known;
}

/** Parameters with a value whose name or value marks a secret, in query order. */
function secretParameters(url: ParsedUrl): SecretParameter[] {
  const secrets: SecretParameter[] = [];
  for (const [parameter, value] of url.url.searchParams) {
    if (value === '') continue;
    const messageId: MessageId | null = secretName(parameter) ? 'secret-parameter' : JWT.test(value) ? 'jwt-value' : null;
    if (messageId) secrets.push({ parameter, messageId });
  }
  return secrets;
}

/** The stream's URLs (the stream URL and every URL a redirect led to) that carry a query string, each once. */
function queryUrls(context: RuleContext): QueryUrl[] {
  return context.derive(findQueryUrls);
}

function findQueryUrls(context: RuleContext): QueryUrl[] {
  const { record } = context;
  const found: QueryUrl[] = [];
  let hrefs: Set<string> | null = null;
  // Most streams have no query at all: only a raw URL with a `?` is looked up.
  for (let i = -1; i < record.exchanges.length; i++) {
    const raw = i < 0 ? record.url : (record.exchanges[i] as StreamRecord['exchanges'][number]).url;
    if (!raw.includes('?')) continue;
    const url = queryUrlOf(raw);
    if (url === null || hrefs?.has(url.href)) continue;
    (hrefs ??= new Set()).add(url.href);
    found.push(url);
  }
  return found;
}

export default defineRule<MessageId>({
  id: 'token-in-query-string',
  title: 'No credentials in the stream URL',
  failureTitle: 'Stream URL carries a secret in its query string',
  severity: 'warning',
  docsUrl: 'https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url',
  messages: {
    'secret-parameter': (d) =>
      `The stream URL carries a \`${d.parameter}\` query parameter. ${d.client === 'eventsource' ? 'EventSource cannot send Authorization, but a' : 'A'} secret in the URL ends up in server, proxy and CDN logs and in browser history.`,
    'jwt-value': (d) => `The \`${d.parameter}\` query parameter of the stream URL holds a JWT: anyone who reads server, proxy or CDN logs or the browser history can replay it.`,
  },
  appliesTo: (context) => queryUrls(context).length > 0,
  check(context) {
    const findings: RawFinding<MessageId>[] = [];
    const reported = new Set<string>();
    for (const url of queryUrls(context)) {
      for (const { parameter, messageId } of url.secrets) {
        if (reported.has(parameter)) continue;
        reported.add(parameter);
        // Never the value itself: findings are shown, exported and shared.
        findings.push({ messageId, data: { parameter, client: context.record.client.kind }, evidence: [evidence({ note: `query parameter ${parameter}` })] });
      }
    }
    return findings;
  },
  fix: (context) =>
    isEventSource(context)
      ? {
          summary: 'Authenticate the stream with a cookie (`new EventSource(url, { withCredentials: true })` plus credentialed CORS), or exchange the token for a short-lived, single-use stream ticket.',
          plan: { credentials: true },
        }
      : {
          summary: 'Send the token in an Authorization header from fetch() (and allow it in the preflight) instead of the URL.',
          // Authorization is never safelisted: a cross-origin stream then needs a preflight that allows it.
          ...(context.crossOrigin ? { plan: { preflight: { methods: SIMPLE_METHODS.includes(context.requirement.method) ? [] : [context.requirement.method], headers: [...new Set([...context.requirement.headers, 'authorization'])] } } } : {}),
        },
});

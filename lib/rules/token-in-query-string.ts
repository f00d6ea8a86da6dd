import type { RuleContext } from './context';
import { defineRule, evidence, type RawFinding } from './define';
import { isEventSource } from './helpers';
import { parseUrl } from './support/address-space';
import { isSecretParameterName as secretName, JWT } from './support/secrets';

type MessageId = 'secret-parameter' | 'jwt-value';

/** Methods a preflight never needs to list (Fetch: CORS-safelisted methods). */
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST'];

/** The stream URL and every URL a redirect led to, each once. */
function streamUrls(urls: readonly string[]): URL[] {
  const seen = new Set<string>();
  const unique: URL[] = [];
  for (const raw of urls) {
    const url = parseUrl(raw);
    if (!url || seen.has(url.href)) continue;
    seen.add(url.href);
    unique.push(url);
  }
  return unique;
}

function urlsOf(context: RuleContext): string[] {
  return [context.record.url, ...context.record.exchanges.map((exchange) => exchange.url)];
}

/** The stream's URLs that carry a query string, parsed once per record. */
function queryUrls(context: RuleContext): URL[] {
  return context.derive(findQueryUrls);
}

function findQueryUrls(context: RuleContext): URL[] {
  // Most streams have no query at all: skip parsing (and allocating) when no raw URL has a `?`.
  const { record } = context;
  if (!record.url.includes('?') && !record.exchanges.some((exchange) => exchange.url.includes('?'))) return [];
  return streamUrls(urlsOf(context).filter((url) => url.includes('?'))).filter((url) => url.search.length > 1);
}

export default defineRule<MessageId>({
  id: 'token-in-query-string',
  title: 'No credentials in the stream URL',
  failureTitle: 'Stream URL carries a secret in its query string',
  severity: 'warning',
  description:
    'EventSource cannot send an Authorization header, so tokens end up in the query string, where server, proxy and CDN logs, browser history and Referer headers keep them. Prefer a cookie with `withCredentials` and credentialed CORS, or a short-lived single-use token.',
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
      for (const [parameter, value] of url.searchParams) {
        if (value === '' || reported.has(parameter)) continue;
        const messageId: MessageId | null = secretName(parameter) ? 'secret-parameter' : JWT.test(value) ? 'jwt-value' : null;
        if (!messageId) continue;
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

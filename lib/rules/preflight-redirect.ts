import { resolveLocation } from '../model/origin';
import { defineRule, NO_FINDINGS } from './define';
import { hasPreflight, pathOf, preflightAnswer, preflightBlock } from './support/preflight';

type RedirectKind = 'https-upgrade' | 'trailing-slash' | 'elsewhere';

/** What the redirect was for: the two common cases have a fix of their own. */
function redirectKind(from: string, to: string): RedirectKind {
  try {
    const a = new URL(from);
    const b = new URL(to);
    if (a.protocol === 'http:' && b.protocol === 'https:' && a.hostname === b.hostname && a.pathname === b.pathname) return 'https-upgrade';
    const trim = (path: string) => path.replace(/\/+$/, '');
    if (a.origin === b.origin && a.pathname !== b.pathname && trim(a.pathname) === trim(b.pathname)) return 'trailing-slash';
  } catch {
    // Hostile or relative input that does not parse: no special case.
  }
  return 'elsewhere';
}

export default defineRule<'redirected'>({
  id: 'preflight-redirect',
  title: 'Preflight is answered without a redirect',
  failureTitle: 'Preflight (OPTIONS) was redirected',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSExternalRedirectNotAllowed',
  messages: {
    redirected: (d) => {
      const why =
        d.kind === 'https-upgrade'
          ? ' The server upgrades http to https; the page should use the https URL directly.'
          : d.kind === 'trailing-slash'
            ? ' The redirect only adds or removes a trailing slash; the page should request the final path.'
            : '';
      return `The preflight (OPTIONS ${d.url}) was answered ${d.status} with Location \`${d.location}\`. Browsers do not follow redirects on a preflight, so the stream is blocked.${why}`;
    },
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: hasPreflight,
  check(context) {
    const block = preflightBlock(context, ['PreflightDisallowedRedirect'], ['CORSExternalRedirectNotAllowed']);
    if (!block) return NO_FINDINGS;
    const location = context.headers(block.index).get('location') ?? '';
    const target = location === '' ? '' : (resolveLocation(location, block.exchange.url) ?? '');
    return [
      {
        messageId: 'redirected',
        data: {
          status: block.exchange.status ?? 0,
          location,
          target,
          url: block.exchange.url,
          kind: target === '' ? 'elsewhere' : redirectKind(block.exchange.url, target),
          browsers: block.browsers,
        },
        evidence: [context.responseHeaderEvidence(block.index, 'Location')],
      },
    ];
  },
  fix(context, finding) {
    const { target, kind } = finding.data;
    const path = pathOf(String(finding.data.url));
    const answer = preflightAnswer(context);
    if (kind === 'https-upgrade' || kind === 'trailing-slash') {
      return { summary: `Open the stream at \`${target}\` exactly, so nothing redirects; the final URL must answer \`OPTIONS\` with 204 and ${answer}.` };
    }
    const answerInPlace = `answer \`OPTIONS ${path}\` with 204 and ${answer} instead of redirecting it`;
    if (target) return { summary: `Point the client at \`${target}\` directly, or ${answerInPlace}.` };
    return { summary: `Do not redirect the preflight: ${answerInPlace}.` };
  },
});

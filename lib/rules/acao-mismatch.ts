import { parseUrl } from '../model/origin';
import { defineRule, NO_FINDINGS, type FindingData } from './define';
import { chromiumBlock } from './helpers';

type Cause = 'trailing-slash' | 'case' | 'null-value' | 'port' | 'scheme' | 'other-origin';

const where = (d: FindingData) => (d.preflight ? `The preflight response for ${d.url}` : `The response from ${d.url}`);

const parse = parseUrl;

// An explicit port in the authority, e.g. `https://app.test:443` (URL parsing hides a default port).
const EXPLICIT_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#@:[]*):\d*(?:[/?#]|$)/i;
const AFTER_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[/?#]/i;

/** Why `value` is not byte-identical to the serialized origin `expected`. */
function mismatchCause(value: string, expected: string): Cause {
  if (value === 'null') return 'null-value';
  if (value.toLowerCase() === expected.toLowerCase()) return 'case';
  const sent = parse(value);
  const wanted = parse(expected);
  if (!sent || !wanted || expected === 'null') return 'other-origin';
  if (sent.origin === wanted.origin) {
    // The right origin spelled differently: a path (often just "/"), a spelled-out default port.
    if (AFTER_AUTHORITY.test(value)) return 'trailing-slash';
    if (EXPLICIT_PORT.test(value)) return 'port';
    return 'other-origin';
  }
  if (sent.hostname === wanted.hostname) return sent.protocol === wanted.protocol ? 'port' : 'scheme';
  return 'other-origin';
}

export default defineRule<Cause>({
  id: 'acao-mismatch',
  title: 'Access-Control-Allow-Origin equals the request origin',
  failureTitle: 'Access-Control-Allow-Origin does not match the page origin',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSAllowOriginNotMatchingOrigin',
  messages: {
    'trailing-slash': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`: that is a URL, not the origin \`${d.expected}\`. An origin never ends in "/" or carries a path, so the browser blocks the stream.`,
    case: (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, which differs from \`${d.expected}\` only in letter case. The comparison is case-sensitive, so the browser blocks the stream.`,
    'null-value': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: null\`, but the request came from \`${d.expected}\`, so the browser blocks the stream. (Trusting \`null\` is also unsafe: sandboxed iframes send it.)`,
    port: (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, the right host with a different or spelled-out port; the request origin is \`${d.expected}\`, so the browser blocks the stream.`,
    scheme: (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, the right host under the other scheme; the request origin is \`${d.expected}\`, so the browser blocks the stream.`,
    'other-origin': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, a different origin from the request's \`${d.expected}\`, so the browser blocks the stream.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['AllowOriginMismatch', 'PreflightAllowOriginMismatch']);
    if (!block) return NO_FINDINGS;
    const expected = context.verdicts.chromium.requestOrigin ?? context.record.pageOrigin;
    // An origin tainted to `null` by a redirect chain is redirect-null-origin's finding.
    if (expected === 'null' && context.record.pageOrigin !== 'null') return NO_FINDINGS;
    const value = block.failedParameter;
    return [
      {
        messageId: mismatchCause(value, expected),
        data: { value, expected, url: block.exchange.url, preflight: block.corsError === 'PreflightAllowOriginMismatch' },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix(context, finding) {
    const expected = String(finding.data.expected ?? context.record.pageOrigin);
    const on = finding.data.preflight ? 'on the OPTIONS preflight response and on the stream response' : 'on the stream response';
    return {
      summary: `Send \`Access-Control-Allow-Origin: ${expected}\` exactly as the browser sent it in \`Origin\` (no trailing slash, same case, same port) ${on}, echoed from an allowlist rather than hard-coded or rewritten.`,
    };
  },
});

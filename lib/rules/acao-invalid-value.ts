import { isSameOrigin, isUrlParseable, originOf } from '../model/origin';
import { defineRule, NO_FINDINGS, type FindingData } from './define';
import { chromiumBlock } from './helpers';

const where = (d: FindingData) => (d.preflight ? `The preflight response for ${d.url}` : `The response from ${d.url}`);

/** `example.com` or `app.test:8080`: a host that would be an origin with a scheme in front. */
function lacksScheme(value: string): boolean {
  return value.length > 0 && !value.includes('://') && isUrlParseable(`https://${value}`);
}

/** `*.example.com`, `https://*.example.com`: a pattern, which CORS has no syntax for. */
const isPattern = (value: string) => value.includes('*');

export default defineRule<'missing-scheme' | 'wildcard-pattern' | 'not-an-origin'>({
  id: 'acao-invalid-value',
  title: 'Access-Control-Allow-Origin is a valid origin',
  failureTitle: 'Access-Control-Allow-Origin is not a valid origin',
  severity: 'error',
  docsUrl: 'https://fetch.spec.whatwg.org/#http-access-control-allow-origin',
  messages: {
    'missing-scheme': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, a host without a scheme, which is not an origin. Chromium reports an invalid value; Firefox reports it as ${d.firefoxReason}.`,
    'wildcard-pattern': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, a pattern. The header has no pattern syntax: it takes one exact origin or a bare \`*\`. Chromium reports an invalid value; Firefox reports it as ${d.firefoxReason}.`,
    'not-an-origin': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, which is not an origin, \`*\` or \`null\`. Chromium reports an invalid value; Firefox reports it as ${d.firefoxReason}.`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['InvalidAllowOriginValue', 'PreflightInvalidAllowOriginValue']);
    if (!block) return NO_FINDINGS;
    const firefox = context.verdicts.firefox;
    const value = block.failedParameter;
    return [
      {
        messageId: isPattern(value) ? 'wildcard-pattern' : lacksScheme(value) ? 'missing-scheme' : 'not-an-origin',
        data: {
          value,
          expected: context.verdicts.chromium.requestOrigin ?? context.record.pageOrigin,
          url: block.exchange.url,
          // Firefox has no "invalid value" reason: anything that is not the origin fails its equality test.
          firefoxReason: firefox.exchangeIndex === block.index && firefox.reason !== null ? firefox.reason : 'CORSAllowOriginNotMatchingOrigin',
          preflight: block.corsError === 'PreflightInvalidAllowOriginValue',
        },
        evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')],
      },
    ];
  },
  fix(context, finding) {
    const expected = String(finding.data.expected ?? context.record.pageOrigin);
    if (finding.messageId === 'wildcard-pattern') {
      return {
        summary: `Match the request's Origin against the allowed pattern on the server and echo the one matching origin, e.g. \`Access-Control-Allow-Origin: ${expected}\` with \`Vary: Origin\`, instead of \`${finding.data.value}\`.`,
      };
    }
    return {
      summary: `Send the full serialized origin, scheme included: \`Access-Control-Allow-Origin: ${expected}\` (from an allowlist, with \`Vary: Origin\`), not \`${finding.data.value}\`.`,
    };
  },
});

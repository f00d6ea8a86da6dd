import { defineRule, evidence, NO_FINDINGS, type FindingData } from './define';
import { chromiumBlock } from './helpers';

const where = (d: FindingData) => (d.preflight ? `The preflight response for ${d.url}` : `The response from ${d.url}`);

export default defineRule<'two-lines' | 'comma-list'>({
  id: 'acao-multiple-values',
  title: 'Access-Control-Allow-Origin carries one value',
  failureTitle: 'Access-Control-Allow-Origin carries several values',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMultipleAllowOriginNotAllowed',
  messages: {
    'two-lines': (d) =>
      `${where(d)} has ${d.count} Access-Control-Allow-Origin header lines (\`${d.value}\`), which usually means both the application and a proxy add it. The header may appear only once, even with identical values; Firefox reports this as ${d.firefoxReason}.`,
    'comma-list': (d) =>
      `${where(d)} answered \`Access-Control-Allow-Origin: ${d.value}\`, a list of ${d.count} values in one line. Only the single origin of the request may be sent; Chromium reports several values, while Firefox reports it as ${d.firefoxReason} (a value that does not match).`,
  },
  requires: ['cross-origin'],
  appliesTo: (context) => context.crossOrigin,
  check(context) {
    const block = chromiumBlock(context, ['MultipleAllowOriginValues', 'PreflightMultipleAllowOriginValues']);
    if (!block) return NO_FINDINGS;
    const headers = context.headers(block.index);
    const lineIndexes = headers.indexes('access-control-allow-origin');
    const twoLines = lineIndexes.length > 1;
    const firefox = context.verdicts.firefox;
    // Firefox counts header lines first; a single list line only fails its equality test.
    const firefoxReason =
      firefox.exchangeIndex === block.index && firefox.reason !== null
        ? firefox.reason
        : twoLines
          ? 'CORSMultipleAllowOriginNotAllowed'
          : 'CORSAllowOriginNotMatchingOrigin';
    // Chromium treats a space like a comma: `a b` is two values as well.
    const count = twoLines ? lineIndexes.length : block.failedParameter.split(/[ ,]+/).filter((v) => v.length > 0).length;
    const data = {
      value: block.failedParameter,
      count,
      url: block.exchange.url,
      expected: context.verdicts.chromium.requestOrigin ?? context.record.pageOrigin,
      firefoxReason,
      preflight: block.corsError === 'PreflightMultipleAllowOriginValues',
    };
    if (!twoLines) {
      return [{ messageId: 'comma-list', data, evidence: [context.responseHeaderEvidence(block.index, 'Access-Control-Allow-Origin')] }];
    }
    return [
      {
        messageId: 'two-lines',
        data,
        evidence: lineIndexes.map((lineIndex) => {
          const [header, value] = headers.lines[lineIndex] ?? ['Access-Control-Allow-Origin', ''];
          return evidence({ exchangeIndex: block.index, side: 'response', header, value, lineIndex });
        }),
      },
    ];
  },
  fix(context, finding) {
    const expected = String(finding.data.expected ?? context.record.pageOrigin);
    if (finding.messageId === 'two-lines') {
      return {
        summary: `Set Access-Control-Allow-Origin in one place only: remove it from either the application or the proxy in front of it (e.g. nginx \`proxy_hide_header Access-Control-Allow-Origin\`), so ${finding.data.url} answers a single \`Access-Control-Allow-Origin: ${expected}\` line.`,
      };
    }
    return {
      summary: `Keep the list of allowed origins on the server and answer only the one that matches the request's Origin: \`Access-Control-Allow-Origin: ${expected}\`, with \`Vary: Origin\`.`,
    };
  },
});

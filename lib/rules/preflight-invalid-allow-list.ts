import { isToken, splitList } from '../model/headers';
import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS, type Evidence, type FindingData, type RawFinding } from './define';
import { hasPreflight, pathOf, preflightBlock } from './support/preflight';

type MessageId = 'methods' | 'headers';

const LISTS: readonly { messageId: MessageId; header: string }[] = [
  { messageId: 'methods', header: 'Access-Control-Allow-Methods' },
  { messageId: 'headers', header: 'Access-Control-Allow-Headers' },
];

/** The first item of a header that is not an HTTP token, with the line that carries it. */
function invalidItem(context: RuleContext, index: number, header: string): { token: string; line: Evidence } | null {
  const map = context.headers(index);
  for (const lineIndex of map.indexes(header)) {
    const line = map.lines[lineIndex];
    const token = line ? splitList(line[1]).find((item) => !isToken(item)) : undefined;
    if (line && token !== undefined) {
      return { token, line: evidence({ exchangeIndex: index, side: 'response', header: line[0], value: line[1], lineIndex }) };
    }
  }
  return null;
}

function badItem(header: string, d: FindingData): string {
  return d.value === d.token
    ? `The preflight's ${header} \`${d.value}\``
    : `In the preflight's ${header} \`${d.value}\`, the item \`${d.token}\``;
}

/** Splits a broken list on the separators people put there by mistake (spaces, semicolons). */
function repaired(value: string): string {
  return value
    .split(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]+/)
    .filter((item) => item.length > 0)
    .join(', ');
}

export default defineRule<MessageId>({
  id: 'preflight-invalid-allow-list',
  title: 'Preflight allow lists parse',
  failureTitle: 'Access-Control-Allow-Methods or -Headers does not parse',
  severity: 'error',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSInvalidAllowHeader',
  messages: {
    methods: (d) => `${badItem('Access-Control-Allow-Methods', d)} is not a method token, so the browser rejects the preflight and blocks the stream.`,
    headers: (d) => `${badItem('Access-Control-Allow-Headers', d)} is not a header name, so the browser rejects the preflight and blocks the stream.`,
  },
  requires: ['cross-origin', 'fetch', 'preflight'],
  appliesTo: hasPreflight,
  check(context) {
    const block = preflightBlock(
      context,
      ['InvalidAllowMethodsPreflightResponse', 'InvalidAllowHeadersPreflightResponse'],
      ['CORSInvalidAllowMethod', 'CORSInvalidAllowHeader'],
    );
    if (!block) return NO_FINDINGS;
    // Report both lists: fixing the one a browser stopped at would only reveal the other.
    return LISTS.flatMap(({ messageId, header }) => {
      const found = invalidItem(context, block.index, header);
      if (!found) return [];
      const finding: RawFinding<MessageId> = {
        messageId,
        data: { value: found.line.value ?? '', token: found.token, browsers: block.browsers },
        evidence: [found.line],
      };
      return [finding];
    });
  },
  fix(context, finding) {
    const header = finding.messageId === 'methods' ? 'Access-Control-Allow-Methods' : 'Access-Control-Allow-Headers';
    return {
      summary: `Send a comma-separated list of bare names on the \`OPTIONS ${pathOf(context.record.url)}\` answer: \`${header}: ${repaired(String(finding.data.value))}\`.`,
    };
  },
});

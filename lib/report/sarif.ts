import { RULE_DESCRIPTIONS } from '../rules/descriptions';
import { RULES } from '../rules/index';
import type { Severity } from '../rules/define';
import { sha256Hex } from './sha256';
import type { Report, ReportFinding, ReportStream } from './types';
import { limitsOf, prepared, type ExportOptions } from './view';

/**
 * SARIF 2.1.0 for code-scanning dashboards: one run, the rules that fired (with their help text
 * and documentation), one result per finding located at the stream URL. A stream is not a source
 * file, so results carry `region.startLine: 1` (GitHub code scanning requires a line) and a
 * partial fingerprint built from the rule, the message and the URL without its query, so an alert
 * stays one alert across runs even when redaction markers in the query change.
 */

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVELS: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };
const REGISTRY = new Map(RULES.map((rule) => [rule.id, rule]));

interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly help: { readonly text: string; readonly markdown: string };
  readonly defaultConfiguration: { readonly level: 'error' | 'warning' | 'note' };
  readonly properties: { readonly tags: readonly string[] };
}

/** `acao-wildcard-with-credentials` -> `AcaoWildcardWithCredentials`, SARIF's conventional rule name. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

function httpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function ruleOf(finding: ReportFinding): SarifRule {
  // The registry's wording when the rule is known; an imported report may come from another version.
  const known = REGISTRY.get(finding.ruleId);
  const title = known?.failureTitle ?? finding.title;
  const description = (known && RULE_DESCRIPTIONS[known.id]) ?? finding.title;
  const docs = httpUrl(known?.docsUrl ?? finding.docsUrl);
  const severity = known?.severity ?? finding.severity;
  return {
    id: finding.ruleId,
    name: pascalCase(finding.ruleId),
    shortDescription: { text: title },
    fullDescription: { text: description },
    ...(docs ? { helpUri: docs } : {}),
    help: { text: docs ? `${description}\n\n${docs}` : description, markdown: docs ? `${description}\n\n[Documentation](${docs})` : description },
    defaultConfiguration: { level: LEVELS[severity] ?? 'warning' },
    properties: { tags: ['sse', 'cors'] },
  };
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function resultOf(stream: ReportStream, finding: ReportFinding, ruleIndex: number, maxText: number) {
  const { chromium, firefox } = stream.verdicts;
  const text = `${finding.message} Fix: ${finding.fix.summary}`;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity] ?? 'warning',
    message: { text: text.length > maxText ? `${text.slice(0, maxText)}…` : text },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: stream.url }, region: { startLine: 1 } },
        message: { text: `${stream.client.kind} from ${stream.client.pageOrigin}` },
      },
    ],
    partialFingerprints: { 'sseInspectorFinding/v1': sha256Hex(`${finding.ruleId}\u0000${finding.messageId}\u0000${withoutQuery(stream.url)}\u0000${stream.client.pageOrigin}`) },
    properties: {
      streamId: stream.id,
      messageId: finding.messageId,
      chromium: { outcome: chromium.outcome, corsError: chromium.corsError },
      firefox: { outcome: firefox.outcome, reason: firefox.reason },
      evidence: finding.evidence.map((e) => ({ ...e })),
    },
  };
}

/** The report as a SARIF 2.1.0 log (pretty JSON with a trailing newline). */
export function formatSarif(input: Report, options: ExportOptions = {}): string {
  const report = prepared(input, options);
  const limits = limitsOf(options.limits);
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const results = report.streams.flatMap((stream) =>
    stream.findings.map((finding) => {
      let index = ruleIndex.get(finding.ruleId);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(finding.ruleId, index);
        rules.push(ruleOf(finding));
      }
      return resultOf(stream, finding, index, limits.textLength);
    }),
  );
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sse-inspector', version: report.tool.version, rules } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results,
        properties: { redacted: report.redacted === true, streams: report.streams.length },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

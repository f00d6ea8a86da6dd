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

// SchemaStore's 2.1.0-rtm.5 schema: the one GitHub code scanning's upload checks against, and the
// one the tests validate every export with.
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0-rtm.5.json';

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

// RFC 3986 characters allowed in a path segment (pchar), and in a query or fragment (plus / and ?).
const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

/** Percent-encodes, as UTF-8, every character `allowed` refuses, keeping escapes already there. */
function percentEncoded(text: string, allowed: RegExp): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (allowed.test(char) || (char === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3)))) {
      out += char;
      continue;
    }
    const code = text.codePointAt(i) as number;
    if (code > 0xffff) i += 1;
    // A lone surrogate has no UTF-8 form; U+FFFD stands in for it.
    const scalar = code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCodePoint(code);
    out += encodeURIComponent(scalar);
  }
  return out;
}

/**
 * A URL as an RFC 3986 URI, which SARIF's `uri` and `uri-reference` formats demand. The WHATWG URL
 * serializer leaves characters RFC 3986 refuses (`[redacted:…]` markers' brackets in a query,
 * `|`, `^`, `{`), and an imported report's URL may not parse at all; then it becomes a relative
 * reference with every reserved character escaped.
 */
export function rfc3986Uri(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return percentEncoded(url, /[A-Za-z0-9\-._~!$&'()*+,;=@/]/);
  }
  const userinfo = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  const authority = parsed.href.startsWith(`${parsed.protocol}//`) ? `//${userinfo}${parsed.host}` : '';
  const query = parsed.search ? `?${percentEncoded(parsed.search.slice(1), QUERY_CHAR)}` : '';
  const fragment = parsed.hash ? `#${percentEncoded(parsed.hash.slice(1), QUERY_CHAR)}` : '';
  return `${parsed.protocol}${authority}${percentEncoded(parsed.pathname, PATH_CHAR)}${query}${fragment}`;
}

function httpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? rfc3986Uri(parsed.href) : undefined;
  } catch {
    return undefined;
  }
}

const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

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
        physicalLocation: { artifactLocation: { uri: rfc3986Uri(stream.url) }, region: { startLine: 1 } },
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
        // An imported report's generatedAt is whatever the file said; SARIF wants RFC 3339 or nothing.
        invocations: [{ executionSuccessful: true, ...(RFC3339_DATE_TIME.test(report.generatedAt) && !Number.isNaN(Date.parse(report.generatedAt)) ? { endTimeUtc: report.generatedAt } : {}) }],
        results,
        properties: { redacted: report.redacted === true, streams: report.streams.length },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

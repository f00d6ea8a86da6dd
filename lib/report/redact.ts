import { isSecretParameterName, JWT } from '../rules/support/secrets';
import { sha256Hex } from './sha256';
import type { HeaderPair, Report, ReportEvidence, ReportExchange, ReportFinding, ReportStream } from './types';

/**
 * Redaction of a report before it leaves the machine: credentials, cookies, API keys, token-like
 * query parameters and secret-looking event data become `[redacted:1a2b3c4d]`, a marker that keeps
 * 8 hex digits of a salted SHA-256, so two equal secrets still look equal and different ones differ.
 *
 * What stays: header names, the Authorization scheme (`Bearer`, `Basic`), cookie names and
 * Set-Cookie attributes (SameSite and Secure decide whether a credentialed stream works), query
 * parameter names. A secret found in one place is also replaced wherever else it is quoted (console
 * lines, finding messages, fix snippets) when it is long enough to be matched safely (6 characters);
 * URLs inside free text have their secret query values replaced whatever their length.
 */

export interface RedactionOptions {
  /**
   * Mixed into every hash. The CLI and the panel pass a random salt per export, so a short secret
   * cannot be recovered by hashing guesses; equal secrets within one export keep equal markers.
   * Default '' (deterministic: tests and golden files).
   */
  readonly salt?: string;
}

const MARKER_EXACT = /^\[redacted:[0-9a-f]{8}\]$/;
const MARKER_SPLIT = /(\[redacted:[0-9a-f]{8}\])/;
/** Secrets shorter than this are replaced only where they were found, not in free text ("abc" would hit words). */
const MIN_FREE_TEXT_SECRET = 6;

/** Header names that always carry a secret, lower-cased with `-` and `_` removed. */
const SECRET_HEADER_PARTS = ['authorization', 'cookie', 'apikey', 'token', 'secret', 'password', 'passwd', 'session', 'signature', 'credential', 'csrf', 'xsrf', 'auth'];
/** Header names whose value is a URL that may carry a token in its query. */
const URL_HEADERS = new Set(['referer', 'location', 'content-location']);

// Token shapes worth hiding wherever they appear: JWTs and a few providers' self-describing keys.
const TOKEN_PATTERN = new RegExp(
  [
    /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/.source,
    /\bgh[pousr]_[A-Za-z0-9]{30,}/.source,
    /\bgithub_pat_[A-Za-z0-9_]{20,}/.source,
    /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/.source,
    /\bxox[abposr]-[A-Za-z0-9-]{10,}/.source,
    /\bAKIA[0-9A-Z]{16}\b/.source,
    /\bAIza[0-9A-Za-z_-]{35}/.source,
  ].join('|'),
  'g',
);
/** `Bearer <token>` or `Basic <credentials>` quoted in text; the token must look like one, not like a word. */
const AUTH_IN_TEXT = /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'`<>]+/g;
/** `name=value` pairs outside URLs (form bodies, log lines in event data). */
const PAIR_IN_TEXT = /(^|[\s?&;,])([A-Za-z0-9_.-]+)=([^&\s;,"']+)/g;

/** Whether a header of this name carries a secret in its whole value. */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  // Access-Control-* values are header and method names; Sec-* are the browser's own.
  if (lower.startsWith('access-control-') || lower.startsWith('sec-') || lower === 'www-authenticate') return false;
  const normalized = lower.replace(/[-_]/g, '');
  return SECRET_HEADER_PARTS.some((part) => normalized.includes(part));
}

function looksLikeToken(text: string): boolean {
  return text.length >= 20 || /[0-9._~+/=-]/.test(text);
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

class Redactor {
  private readonly markers = new Map<string, string>();
  private freeText: string[] | null = null;

  constructor(private readonly salt: string) {}

  marker(secret: string): string {
    if (secret === '' || MARKER_EXACT.test(secret)) return secret;
    let marker = this.markers.get(secret);
    if (marker === undefined) {
      marker = `[redacted:${sha256Hex(`${this.salt}\u0000${secret}`).slice(0, 8)}]`;
      this.markers.set(secret, marker);
      this.freeText = null;
    }
    return marker;
  }

  /** The value of header `name` with its secret parts replaced. */
  header(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = /^(\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+)([\s\S]+)$/.exec(value);
      return scheme ? `${scheme[1]}${scheme[2]}${this.marker(scheme[3] as string)}` : this.marker(value);
    }
    if (lower === 'cookie') return value.split(';').map((part) => this.cookiePair(part)).join(';');
    if (lower === 'set-cookie') {
      const semicolon = value.indexOf(';');
      return semicolon < 0 ? this.cookiePair(value) : `${this.cookiePair(value.slice(0, semicolon))}${value.slice(semicolon)}`;
    }
    if (isSecretHeaderName(name)) return this.marker(value);
    if (URL_HEADERS.has(lower)) return this.url(value);
    return this.text(value);
  }

  private cookiePair(pair: string): string {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair.trim() === '' ? pair : pair.replace(pair.trim(), this.marker(pair.trim()));
    return `${pair.slice(0, eq + 1)}${this.marker(pair.slice(eq + 1))}`;
  }

  /** A URL with the values of secret-named (or JWT-valued) query parameters replaced; nothing else changes. */
  url(url: string): string {
    const question = url.indexOf('?');
    if (question < 0) return url;
    const hash = url.indexOf('#', question);
    const end = hash < 0 ? url.length : hash;
    const query = url
      .slice(question + 1, end)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const value = decodeQueryPart(pair.slice(eq + 1));
        if (value === '' || !(isSecretParameterName(decodeQueryPart(pair.slice(0, eq))) || JWT.test(value))) return pair;
        return `${pair.slice(0, eq + 1)}${this.marker(value)}`;
      })
      .join('&');
    return `${url.slice(0, question + 1)}${query}${url.slice(end)}`;
  }

  /** Free text: token shapes, quoted credentials, URLs, and every secret already found elsewhere. */
  text(text: string): string {
    if (text === '') return text;
    let result = text
      .replace(TOKEN_PATTERN, (token) => this.marker(token))
      .replace(AUTH_IN_TEXT, (whole, scheme: string, space: string, token: string) => (looksLikeToken(token) ? `${scheme}${space}${this.marker(token)}` : whole))
      .replace(URL_IN_TEXT, (url) => this.url(url));
    const secrets = this.freeTextSecrets();
    if (secrets.length === 0) return result;
    // Markers themselves are left alone: a secret such as `redacted` must not rewrite them.
    return result
      .split(MARKER_SPLIT)
      .map((piece, index) => {
        if (index % 2 === 1) return piece;
        for (const secret of secrets) if (piece.includes(secret)) piece = piece.split(secret).join(this.markers.get(secret) as string);
        return piece;
      })
      .join('');
  }

  /** Event data: secret-named fields of a JSON payload, `name=value` pairs, then free text. */
  eventData(data: string): string {
    let result = data;
    const trimmed = data.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) result = this.jsonData(data);
    result = result.replace(PAIR_IN_TEXT, (whole, lead: string, name: string, value: string) =>
      isSecretParameterName(name) || isSecretHeaderName(name) ? `${lead}${name}=${this.marker(value)}` : whole,
    );
    return this.text(result);
  }

  private jsonData(data: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return data;
    }
    const fields: { key: string; value: string | number }[] = [];
    collectSecretFields(parsed, fields, 0);
    if (fields.length === 0) return data;
    let result = data;
    for (const { key, value } of fields) {
      // Replaced in place so the payload keeps its formatting; verified below.
      const keyText = escapeRegExp(JSON.stringify(key));
      const valueText = escapeRegExp(JSON.stringify(value));
      result = result.replace(new RegExp(`(${keyText}\\s*:\\s*)${valueText}`, 'g'), (_whole, head: string) => `${head}${JSON.stringify(this.marker(String(value)))}`);
    }
    // Escapes the in-place pass cannot see (\u0041 for A): fall back to re-serializing the payload.
    const left: { key: string; value: string | number }[] = [];
    try {
      collectSecretFields(JSON.parse(result), left, 0);
    } catch {
      left.push({ key: '', value: '' });
    }
    if (left.length === 0) return result;
    return JSON.stringify(redactJson(parsed, this, 0));
  }

  private freeTextSecrets(): string[] {
    if (this.freeText === null) {
      // Longest first, so a secret that contains a shorter one is replaced whole.
      this.freeText = [...this.markers.keys()].filter((secret) => secret.length >= MIN_FREE_TEXT_SECRET).sort((a, b) => b.length - a.length);
    }
    return this.freeText;
  }
}

const MAX_JSON_DEPTH = 64;

function isSecretFieldName(key: string): boolean {
  return isSecretParameterName(key) || isSecretHeaderName(key);
}

function collectSecretFields(value: unknown, into: { key: string; value: string | number }[], depth: number): void {
  if (depth > MAX_JSON_DEPTH || typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if ((typeof child === 'string' && child !== '' && !MARKER_EXACT.test(child)) || typeof child === 'number') {
      if (isSecretFieldName(key)) into.push({ key, value: child });
    } else collectSecretFields(child, into, depth + 1);
  }
}

function redactJson(value: unknown, redactor: Redactor, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redactor, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = (typeof child === 'string' || typeof child === 'number') && isSecretFieldName(key) ? redactor.marker(String(child)) : redactJson(child, redactor, depth + 1);
  }
  return copy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function headers(list: readonly HeaderPair[], redactor: Redactor): HeaderPair[] {
  return list.map(([name, value]) => [name, redactor.header(name, value)] as const);
}

function evidenceOf(evidence: ReportEvidence, redactor: Redactor): ReportEvidence {
  const value = evidence.value === null ? null : evidence.header !== null ? redactor.header(evidence.header, evidence.value) : redactor.text(evidence.value);
  return { ...evidence, value, note: evidence.note === null ? null : redactor.text(evidence.note) };
}

function findingOf(finding: ReportFinding, redactor: Redactor): ReportFinding {
  const data: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(finding.data)) data[key] = typeof value === 'string' ? redactor.text(value) : value;
  return {
    ...finding,
    title: redactor.text(finding.title),
    message: redactor.text(finding.message),
    data,
    evidence: finding.evidence.map((e) => evidenceOf(e, redactor)),
    fix: { summary: redactor.text(finding.fix.summary), snippets: finding.fix.snippets.map((s) => ({ ...s, code: redactor.text(s.code) })) },
    docsUrl: redactor.url(finding.docsUrl),
  };
}

function exchangeOf(exchange: ReportExchange, redactor: Redactor): ReportExchange {
  return {
    ...exchange,
    url: redactor.url(exchange.url),
    statusText: redactor.text(exchange.statusText),
    requestHeaders: headers(exchange.requestHeaders, redactor),
    responseHeaders: headers(exchange.responseHeaders, redactor),
    error: exchange.error === null ? null : redactor.text(exchange.error),
  };
}

function nullableText(text: string | null, redactor: Redactor): string | null {
  return text === null ? null : redactor.text(text);
}

function streamOf(stream: ReportStream, redactor: Redactor): ReportStream {
  const { chromium, firefox } = stream.verdicts;
  const verdictText = <V extends ReportStream['verdicts']['chromium'] | ReportStream['verdicts']['firefox']>(verdict: V): V => ({
    ...verdict,
    message: nullableText(verdict.message, redactor),
    console: verdict.console.map((line) => redactor.text(line)),
    requestOrigin: nullableText(verdict.requestOrigin, redactor),
  });
  return {
    ...stream,
    url: redactor.url(stream.url),
    client: { ...stream.client, headers: headers(stream.client.headers, redactor) },
    verdicts: {
      chromium: { ...verdictText(chromium), failedParameter: nullableText(chromium.failedParameter, redactor) },
      firefox: verdictText(firefox),
    },
    findings: stream.findings.map((f) => findingOf(f, redactor)),
    exchanges: stream.exchanges.map((e) => exchangeOf(e, redactor)),
    events: stream.events.map((event) => ({ ...event, type: redactor.text(event.type), data: redactor.eventData(event.data), id: nullableText(event.id, redactor) })),
  };
}

/**
 * The report with its secrets replaced (see the module comment). Idempotent: markers are never
 * hashed again, so redacting a redacted report (an imported one) changes nothing.
 */
export function redactReport(report: Report, options: RedactionOptions = {}): Report {
  const redactor = new Redactor(options.salt ?? '');
  // First pass: find every secret in its structured place, so that the second pass can also
  // replace it in free text that comes earlier in the report (a console line quoting a header).
  for (const stream of report.streams) streamOf(stream, redactor);
  return { ...report, redacted: true, streams: report.streams.map((stream) => streamOf(stream, redactor)) };
}

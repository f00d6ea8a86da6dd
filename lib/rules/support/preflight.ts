import { parseUrl } from '../../model/origin';
import { isSafelistedMethod } from '../../cors/request-headers';
import type { ChromiumCorsError, FirefoxReason } from '../../cors/vocabulary';
import { splitList, type HeaderLine, type HeaderList } from '../../model/headers';
import type { Exchange } from '../../model/record';
import type { RuleContext } from '../context';
import { evidence, type Evidence } from '../define';
import { chromiumBlock } from '../helpers';

/**
 * What the preflight rules (lib/rules/preflight-*.ts) ask of a context. Kept out of helpers.ts
 * because only these rules need it; pure functions of the context.
 */

/** Only a cross-origin fetch()/XHR-based client can be preflighted: EventSource never is (browser-facts §3). */
export function preflightable(context: RuleContext): boolean {
  return context.crossOrigin && context.record.client.kind === 'fetch';
}

export function hasPreflight(context: RuleContext): boolean {
  return preflightable(context) && context.indexesOf('preflight').length > 0;
}

export interface PreflightBlock {
  readonly index: number;
  readonly exchange: Exchange;
  /** Chromium's failedParameter when Chromium blocked for this cause; null otherwise. */
  readonly failedParameter: string | null;
  /** Which browsers block on this preflight for this cause: `chromium`, `firefox` or `chromium,firefox`. */
  readonly browsers: string;
}

/**
 * The preflight either browser blocked on for one of the given causes. The two browsers order
 * their preflight checks differently (Firefox looks for the method before it validates
 * Access-Control-Allow-Headers), so each is asked in its own vocabulary.
 */
export function preflightBlock(
  context: RuleContext,
  codes: readonly ChromiumCorsError[],
  reasons: readonly FirefoxReason[],
): PreflightBlock | null {
  const chromium = chromiumBlock(context, codes);
  const firefox = context.verdicts.firefox;
  const firefoxHit = firefox.reason !== null && reasons.includes(firefox.reason) ? firefox.exchangeIndex : null;
  const index = chromium?.index ?? firefoxHit;
  const exchange = index === null ? undefined : context.record.exchanges[index];
  if (index === null || exchange?.kind !== 'preflight') return null;
  const browsers = [chromium?.exchange.kind === 'preflight' ? 'chromium' : null, firefoxHit === index ? 'firefox' : null];
  return {
    index,
    exchange,
    failedParameter: chromium?.failedParameter ?? null,
    browsers: browsers.filter((b) => b !== null).join(','),
  };
}

/** The preflight of the attempt the verdicts rest on, or the last one captured. */
export function decidingPreflightIndex(context: RuleContext): number | null {
  const preflights = context.indexesOf('preflight');
  const attempt = context.verdicts.chromium.attempt;
  const sameAttempt = preflights.filter((i) => context.record.exchanges[i]?.attempt === attempt);
  return sameAttempt.at(-1) ?? preflights.at(-1) ?? null;
}

/** Items of an Access-Control-Allow-* header as the browser splits them (every line, comma-separated). */
export function allowList(context: RuleContext, index: number, name: string): string[] {
  return splitList(context.headers(index).get(name));
}

/** Position of the first line whose lower-cased name is `lower`, or -1. */
function lineIndexOf(lines: HeaderList, lower: string): number {
  // Indexed, without destructuring each line: destructuring runs the array iterator per line.
  for (let i = 0; i < lines.length; i++) if ((lines[i] as HeaderLine)[0].toLowerCase() === lower) return i;
  return -1;
}

/** The header name as the page's code spelled it (`X-API-Key`), for fixes; the lower-case name otherwise. */
export function sentHeaderName(context: RuleContext, lower: string): string {
  const line = context.record.client.headers[lineIndexOf(context.record.client.headers, lower)];
  return line ? line[0] : lower;
}

/** Evidence for a request header the page set: on the stream request when captured there, else on the client. */
export function requestHeaderEvidence(context: RuleContext, lower: string): Evidence {
  const responses = context.indexesOf('response');
  const index = context.finalIndex ?? responses.at(-1) ?? null;
  const sent = index === null ? [] : (context.record.exchanges[index]?.requestHeaders ?? []);
  const at = lineIndexOf(sent, lower);
  const line = sent[at];
  if (line) return evidence({ exchangeIndex: index, side: 'request', header: line[0], value: line[1], lineIndex: at });
  const clientAt = lineIndexOf(context.record.client.headers, lower);
  const clientLine = context.record.client.headers[clientAt];
  return evidence({
    side: 'request',
    header: clientLine ? clientLine[0] : lower,
    value: clientLine ? clientLine[1] : null,
    lineIndex: clientLine ? clientAt : null,
    note: 'set by the page',
  });
}

/** The header lines a passing preflight answer needs for this record, as inline code. */
export function preflightAnswer(context: RuleContext): string {
  const { record, requirement } = context;
  const lines = [`Access-Control-Allow-Origin: ${record.pageOrigin}`];
  if (record.client.credentials === 'include') lines.push('Access-Control-Allow-Credentials: true');
  if (!isSafelistedMethod(requirement.method)) lines.push(`Access-Control-Allow-Methods: ${requirement.method}`);
  if (requirement.headers.length > 0) {
    lines.push(`Access-Control-Allow-Headers: ${requirement.headers.map((h) => sentHeaderName(context, h)).join(', ')}`);
  }
  return lines.map((line) => `\`${line}\``).join(', ');
}

/** Path of a captured URL for fix text; the URL is hostile input and may not parse. */
export function pathOf(url: string): string {
  const parsed = parseUrl(url);
  return parsed ? parsed.pathname || '/' : url;
}

import { clean } from './text';

/**
 * Escaping for the Markdown and HTML exporters. Every string in a report is hostile (URLs, header
 * values, event names and data come from servers and pages), so nothing is ever concatenated
 * into markup raw: HTML is built with the `html` tag, which escapes every interpolated value
 * unless it is markup the tag itself produced, and Markdown with the `md*` helpers below.
 * Both also make control and bidi-override characters visible (`clean`), so text cannot lie about
 * what it says (Trojan Source), and cut long values with a note of how much was left out.
 */

/** Cuts `text` to `max` characters (never inside a surrogate pair), saying how many were left out. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… (${text.length - end} more characters omitted)`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Markup produced by the `html` tag (or `trustedHtml` for fixed strings of this module). */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('');
  // Multi-line text keeps its newlines (CSS decides whether they show); controls become visible.
  return escapeHtml(clean(String(value), true));
}

/**
 * `html\`<td>${value}</td>\`` escapes `value` (text and attribute safe, as long as attributes are
 * quoted, which every template here does). Arrays are joined; null, undefined and false vanish.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] as string;
  values.forEach((value, i) => {
    markup += renderValue(value) + (strings[i + 1] as string);
  });
  return new SafeHtml(markup);
}

/** Only http(s) URLs may become links; anything else (javascript:, data:, relative) is shown as text. */
export function linkableUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown (GitHub Flavored Markdown)

// Characters with a meaning somewhere in GFM inline syntax: code, emphasis, links and images,
// raw HTML and autolinks, entities, tables, strikethrough, GitHub's math, headings.
const MD_SPECIAL = /[\\`*_[\]<>&|~$#!{}]/g;

/**
 * Text for a Markdown paragraph, list item or table cell: one line, every special character
 * backslash-escaped (CommonMark lets any ASCII punctuation be escaped), so captured data can
 * never open a link, an HTML tag, an entity or a table cell.
 */
export function mdText(text: string, max = 2000, atLineStart = false): string {
  const escaped = clean(cut(text, max)).replace(MD_SPECIAL, (c) => `\\${c}`);
  // At the start of a line `-`, `+`, `=` or `1.` would open a list or a heading: escape it too.
  return atLineStart && /^([-+=]|\d+[.)])/.test(escaped) ? escaped.replace(/^(\d*)([-+=.)])/, '$1\\$2') : escaped;
}

/**
 * Inline code: shows the text exactly. The fence is one backtick longer than the longest run
 * inside, padded when the text touches a backtick. In a table cell `|` still ends the cell
 * (GFM splits rows before it parses inlines), so `cell` escapes it; GFM removes that backslash.
 */
export function mdCode(text: string, options: { readonly max?: number; readonly cell?: boolean } = {}): string {
  let body = clean(cut(text, options.max ?? 2000));
  if (options.cell) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `code` can close; `language` only if it is a plain word. */
export function mdFence(code: string, language: string, max = 20_000): string {
  const body = clean(cut(code.replace(/\n+$/, ''), max), true);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = /^[a-z0-9+-]{1,20}$/.test(language) ? language : '';
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A link whose target is a validated http(s) URL (parentheses and spaces percent-encoded); plain text otherwise. */
export function mdLink(label: string, url: string): string {
  const target = linkableUrl(url);
  if (target === null) return mdText(`${label} (${url})`);
  return `[${mdText(label)}](${target.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)})`;
}

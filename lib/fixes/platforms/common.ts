import type { ServerPlan } from '../plan';

/**
 * A plan whose every value is safe to embed in any of the snippet languages. Plan values come
 * from the wire (page origins, request header names, the stream's path), so each one is checked
 * against a strict character set here; what fails is left out and explained in `warnings`.
 * Within these sets JSON quoting coincides with the string literal syntax of JS, Python, Go, Java
 * and C#, and no value can reach nginx variables (`$`), Caddy placeholders (`{}`), Apache format
 * specifiers (`%`) or a quote of any language.
 */
export interface SafePlan {
  readonly path: string;
  /** The page is cross-origin: emit CORS, even if every origin was rejected. */
  readonly cors: boolean;
  readonly origins: readonly string[];
  readonly credentials: boolean;
  /** Access-Control-Allow-Methods (GET first) and -Headers for the OPTIONS answer. */
  readonly preflight: { readonly methods: readonly string[]; readonly headers: readonly string[] } | null;
  readonly heartbeatSeconds: number;
  readonly retryMs: number | null;
  /** Why something from the plan is missing from the snippet; rendered as comments. */
  readonly warnings: readonly string[];
}

export const UPSTREAM = 'http://127.0.0.1:3000';
export const UPSTREAM_NOTE = `The app behind this proxy is assumed at ${UPSTREAM} (a placeholder: use yours).`;
export const HIDDEN_UPSTREAM_HEADERS = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
];

// A serialized origin: scheme://host[:port], host a DNS name or bracketed IPv6 literal.
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
// Path characters that mean the same thing, unescaped, in every router and config syntax.
const PATH = /^\/[A-Za-z0-9._~/-]*$/;
const TOKEN = /^[A-Za-z0-9_-]+$/;
const DEFAULT_PATH = '/events';

export function safePlan(plan: ServerPlan): SafePlan {
  const warnings: string[] = [];
  const skip = (what: string, value: string, expected: string): void => {
    warnings.push(`Skipped ${what} ${printable(value)}: not ${expected}, so it cannot be embedded safely.`);
  };

  let path = plan.path;
  if (!PATH.test(path)) {
    warnings.push(`The stream's path ${printable(path)} cannot be embedded safely; ${DEFAULT_PATH} stands in for it.`);
    path = DEFAULT_PATH;
  }

  const origins: string[] = [];
  for (const origin of plan.allowedOrigins) {
    if (!ORIGIN.test(origin)) skip('origin', origin, 'a plain scheme://host[:port] origin');
    else if (!origins.includes(origin)) origins.push(origin);
  }

  let preflight: SafePlan['preflight'] = null;
  if (plan.preflight) {
    const methods = ['GET'];
    for (const method of plan.preflight.methods) {
      if (!TOKEN.test(method)) skip('method', method, 'a plain method name');
      else if (!methods.includes(method)) methods.push(method);
    }
    const headers: string[] = [];
    for (const header of plan.preflight.headers) {
      if (!TOKEN.test(header)) skip('request header', header, 'a plain header name');
      else if (!headers.some((h) => h.toLowerCase() === header.toLowerCase())) headers.push(header);
    }
    preflight = { methods, headers };
  }

  const heartbeat = Number.isFinite(plan.heartbeatSeconds) ? Math.round(plan.heartbeatSeconds) : 15;
  const retry = plan.retryMs;
  return {
    path,
    cors: plan.allowedOrigins.length > 0,
    origins,
    credentials: plan.credentials,
    preflight,
    heartbeatSeconds: Math.min(Math.max(heartbeat, 1), 3600),
    retryMs: retry !== null && Number.isFinite(retry) && retry >= 0 ? Math.round(retry) : null,
    warnings,
  };
}

/** A hostile value made fit for a one-line comment: no newline, quote, `*\/` or placeholder survives. */
function printable(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9.:/_-]/g, '?');
  return cleaned.length > 80 ? `${cleaned.slice(0, 80)}...` : cleaned;
}

/** A string literal; sound for every language here because SafePlan values are plain ASCII. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function commaList(values: readonly string[]): string {
  return values.join(', ');
}

export function comments(prefix: string, texts: readonly string[], indent = ''): string[] {
  return texts.map((text) => `${indent}${prefix} ${text}`);
}

/** A snippet line, a conditional one (`false` when left out), or a nested group of them. */
export type Part = string | false | readonly Part[];

function flatten(part: Part): string[] {
  return part === false ? [] : typeof part === 'string' ? [part] : part.flatMap(flatten);
}

export function lines(...parts: readonly Part[]): string {
  return `${parts.flatMap(flatten).join('\n')}\n`;
}

import { HeaderMap, isToken, splitList } from '../model/headers';
import type { CredentialsMode } from '../model/record';
import { chromiumAccessCheck, firefoxAccessCheck, type FirefoxAccessFailure } from './access-check';
import type { PreflightRequirement } from './request-headers';
import { CHROMIUM_PREFLIGHT_VARIANT, type ChromiumCorsError, type FirefoxReason } from './vocabulary';

/** Checks of a preflight (OPTIONS) response, once per browser. */

export interface PreflightResponse {
  readonly status: number;
  readonly headers: HeaderMap;
}

export interface ChromiumPreflightFailure {
  readonly corsError: ChromiumCorsError;
  readonly failedParameter: string;
}

const isOk = (status: number) => status >= 200 && status <= 299;
const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

/** An Access-Control-Allow-Methods or -Headers value, as both browsers read it. Read-only. */
interface AllowList {
  /** Items as sent (trimmed, non-empty), in order. */
  readonly items: readonly string[];
  /** The first item that is not an HTTP token, or null. */
  readonly invalid: string | null;
  /** The items lower-cased: header names compare case-insensitively. */
  readonly lowered: ReadonlySet<string>;
}

function parseAllowList(value: string | null): AllowList {
  const items = splitList(value);
  return { items, invalid: items.find((item) => !isToken(item)) ?? null, lowered: new Set(items.map((item) => item.toLowerCase())) };
}

// A server answers every preflight with the same lists: parse each value once (bounded, as values
// are hostile input), shared by both browsers' checks.
const allowLists = new Map<string, AllowList>();
const NO_ALLOW_LIST = parseAllowList(null);

function allowListOf(value: string | null): AllowList {
  if (value === null) return NO_ALLOW_LIST;
  let list = allowLists.get(value);
  if (list === undefined) {
    list = parseAllowList(value);
    if (allowLists.size >= 256) allowLists.clear();
    allowLists.set(value, list);
  }
  return list;
}

/** Mirrors Chromium's PreflightController + PreflightResult. */
export function chromiumPreflightCheck(
  response: PreflightResponse,
  origin: string,
  credentials: CredentialsMode,
  requirement: PreflightRequirement,
): ChromiumPreflightFailure | null {
  if (isRedirect(response.status)) return { corsError: 'PreflightDisallowedRedirect', failedParameter: '' };
  // Observed: the access check runs before the status check (a 404 without ACAO reports the ACAO).
  const access = chromiumAccessCheck(response.headers, origin, credentials);
  if (access) return { corsError: CHROMIUM_PREFLIGHT_VARIANT[access.corsError], failedParameter: access.failedParameter };
  if (!isOk(response.status)) return { corsError: 'PreflightInvalidStatus', failedParameter: '' };

  const methods = allowListOf(response.headers.get('access-control-allow-methods'));
  if (methods.invalid !== null) return { corsError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '' };
  const headers = allowListOf(response.headers.get('access-control-allow-headers'));
  if (headers.invalid !== null) return { corsError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '' };

  const wildcardAllowed = credentials !== 'include';
  const method = requirement.method;
  const methodOk =
    ['GET', 'HEAD', 'POST'].includes(method) ||
    methods.items.includes(method) ||
    (wildcardAllowed && methods.items.includes('*'));
  if (!methodOk) return { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: method };

  const allowed = headers.lowered;
  // `*` covers Authorization too in Chromium today, against the spec (a deprecation issue is filed).
  const wildcard = wildcardAllowed && allowed.has('*');
  for (const name of requirement.headers) {
    if (!wildcard && !allowed.has(name)) return { corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: name };
  }
  return null;
}

export interface FirefoxPreflightFailure {
  readonly reason: FirefoxReason;
  readonly parameter: string | null;
}

/** Mirrors Firefox's nsCORSListenerProxy (the ACAO check) then nsCORSPreflightListener. */
export function firefoxPreflightCheck(
  response: PreflightResponse,
  origin: string,
  credentials: CredentialsMode,
  requirement: PreflightRequirement,
): FirefoxPreflightFailure | null {
  if (isRedirect(response.status)) return { reason: 'CORSExternalRedirectNotAllowed', parameter: null };
  const access: FirefoxAccessFailure | null = firefoxAccessCheck(response.headers, origin, credentials, response.status);
  if (access) return access;
  if (!isOk(response.status)) return { reason: 'CORSPreflightDidNotSucceed', parameter: String(response.status) };

  const withCredentials = credentials === 'include';
  const methods = allowListOf(response.headers.get('access-control-allow-methods'));
  if (methods.invalid !== null) return { reason: 'CORSInvalidAllowMethod', parameter: methods.invalid };
  const method = requirement.method;
  const methodOk =
    ['GET', 'HEAD', 'POST'].includes(method) || methods.items.includes(method) || (!withCredentials && methods.items.includes('*'));
  if (!methodOk) return { reason: 'CORSMethodNotFound', parameter: null };

  const headers = allowListOf(response.headers.get('access-control-allow-headers'));
  if (headers.invalid !== null) return { reason: 'CORSInvalidAllowHeader', parameter: headers.invalid };
  // Firefox still lets `*` cover Authorization, with a console warning. With credentials `*` is a
  // plain name: a request header literally named `*` is then listed.
  if (!withCredentials && headers.items.includes('*')) return null;
  for (const name of requirement.headers) {
    if (!headers.lowered.has(name)) return { reason: 'CORSMissingAllowHeaderFromPreflight', parameter: name };
  }
  return null;
}

export function authorizationOnlyCoveredByWildcard(response: PreflightResponse, credentials: CredentialsMode, requirement: PreflightRequirement): boolean {
  if (credentials === 'include' || !requirement.headers.includes('authorization')) return false;
  const headers = allowListOf(response.headers.get('access-control-allow-headers')).lowered;
  return headers.has('*') && !headers.has('authorization');
}

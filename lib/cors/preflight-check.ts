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

/** Parses an Access-Control-Allow-* list; null when an item is not a token. */
function parseAllowList(value: string | null): { items: string[]; invalid: string | null } {
  const items = splitList(value);
  const invalid = items.find((item) => !isToken(item)) ?? null;
  return { items, invalid };
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

  const methods = parseAllowList(response.headers.get('access-control-allow-methods'));
  if (methods.invalid !== null) return { corsError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '' };
  const headers = parseAllowList(response.headers.get('access-control-allow-headers'));
  if (headers.invalid !== null) return { corsError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '' };

  const wildcardAllowed = credentials !== 'include';
  const method = requirement.method;
  const methodOk =
    ['GET', 'HEAD', 'POST'].includes(method) ||
    methods.items.includes(method) ||
    (wildcardAllowed && methods.items.includes('*'));
  if (!methodOk) return { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: method };

  const allowed = new Set(headers.items.map((h) => h.toLowerCase()));
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
  const methods = splitList(response.headers.get('access-control-allow-methods'));
  const invalidMethod = methods.find((m) => !isToken(m));
  if (invalidMethod !== undefined) return { reason: 'CORSInvalidAllowMethod', parameter: invalidMethod };
  const method = requirement.method;
  const methodOk =
    ['GET', 'HEAD', 'POST'].includes(method) ||
    methods.some((m) => (m === '*' && !withCredentials) || m === method);
  if (!methodOk) return { reason: 'CORSMethodNotFound', parameter: null };

  const headers = splitList(response.headers.get('access-control-allow-headers'));
  const invalidHeader = headers.find((h) => !isToken(h));
  if (invalidHeader !== undefined) return { reason: 'CORSInvalidAllowHeader', parameter: invalidHeader };
  const wildcard = !withCredentials && headers.includes('*');
  const listed = new Set(headers.filter((h) => h !== '*' || withCredentials).map((h) => h.toLowerCase()));
  for (const name of requirement.headers) {
    // Firefox still lets `*` cover Authorization, with a console warning.
    if (wildcard) continue;
    if (!listed.has(name)) return { reason: 'CORSMissingAllowHeaderFromPreflight', parameter: name };
  }
  return null;
}

export function authorizationOnlyCoveredByWildcard(response: PreflightResponse, credentials: CredentialsMode, requirement: PreflightRequirement): boolean {
  if (credentials === 'include' || !requirement.headers.includes('authorization')) return false;
  const headers = splitList(response.headers.get('access-control-allow-headers')).map((h) => h.toLowerCase());
  return headers.includes('*') && !headers.includes('authorization');
}

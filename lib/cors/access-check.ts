import { HeaderMap } from '../model/headers';
import { isUrlParseable } from '../model/origin';
import type { CredentialsMode } from '../model/record';
import type { ChromiumAccessError, FirefoxReason } from './vocabulary';

/**
 * The CORS check of a response (Fetch standard §4.9 "CORS check"), once per browser, because
 * the two browsers order and name the failures differently.
 */

export interface ChromiumAccessFailure {
  readonly corsError: ChromiumAccessError;
  readonly failedParameter: string;
}

// Failures that carry no value are the same every time: shared, not built per stream.
const MISSING_ALLOW_ORIGIN: ChromiumAccessFailure = Object.freeze({ corsError: 'MissingAllowOriginHeader', failedParameter: '' });
const WILDCARD_WITH_CREDENTIALS: ChromiumAccessFailure = Object.freeze({ corsError: 'WildcardOriginNotAllowed', failedParameter: '' });

/** Mirrors Chromium's services/network cors::CheckAccess. */
export function chromiumAccessCheck(
  headers: HeaderMap,
  origin: string,
  credentials: CredentialsMode,
): ChromiumAccessFailure | null {
  // Chromium reads the header through HttpResponseHeaders, which joins repeated lines with ", ".
  const allowOrigin = headers.get('access-control-allow-origin');
  if (allowOrigin === null) return MISSING_ALLOW_ORIGIN;
  if (allowOrigin === '*') {
    if (credentials !== 'include') return null;
    return WILDCARD_WITH_CREDENTIALS;
  }
  if (allowOrigin.includes(' ') || allowOrigin.includes(',')) return { corsError: 'MultipleAllowOriginValues', failedParameter: allowOrigin };
  // The request's own origin is a valid value: only a different one needs parsing to tell an
  // invalid value from a mismatch.
  if (allowOrigin !== origin) {
    if (allowOrigin !== 'null' && !isUrlParseable(allowOrigin)) return { corsError: 'InvalidAllowOriginValue', failedParameter: allowOrigin };
    return { corsError: 'AllowOriginMismatch', failedParameter: allowOrigin };
  }
  if (credentials === 'include') {
    const allowCredentials = headers.get('access-control-allow-credentials');
    if (allowCredentials !== 'true') {
      return { corsError: 'InvalidAllowCredentials', failedParameter: allowCredentials ?? '' };
    }
  }
  return null;
}

export interface FirefoxAccessFailure {
  readonly reason: Extract<
    FirefoxReason,
    | 'CORSMissingAllowOrigin'
    | 'CORSMultipleAllowOriginNotAllowed'
    | 'CORSAllowOriginNotMatchingOrigin'
    | 'CORSNotSupportingCredentials'
    | 'CORSMissingAllowCredentials'
  >;
  /** The value Firefox puts in its message (ACAO value, or the status code). */
  readonly parameter: string | null;
}

const MULTIPLE_ALLOW_ORIGIN: FirefoxAccessFailure = Object.freeze({ reason: 'CORSMultipleAllowOriginNotAllowed', parameter: null });
const CREDENTIALS_WITH_WILDCARD: FirefoxAccessFailure = Object.freeze({ reason: 'CORSNotSupportingCredentials', parameter: null });
const MISSING_ALLOW_CREDENTIALS: FirefoxAccessFailure = Object.freeze({ reason: 'CORSMissingAllowCredentials', parameter: null });

/** Mirrors Firefox's nsCORSListenerProxy::CheckRequestApproved. */
export function firefoxAccessCheck(
  headers: HeaderMap,
  origin: string,
  credentials: CredentialsMode,
  status: number,
): FirefoxAccessFailure | null {
  // Firefox counts header lines before it reads the value: two lines fail even when equal.
  if (headers.count('access-control-allow-origin') > 1) {
    return MULTIPLE_ALLOW_ORIGIN;
  }
  const allowOrigin = headers.get('access-control-allow-origin');
  if (allowOrigin === null) return { reason: 'CORSMissingAllowOrigin', parameter: String(status) };
  const withCredentials = credentials === 'include';
  if (withCredentials && allowOrigin === '*') return CREDENTIALS_WITH_WILDCARD;
  if ((withCredentials || allowOrigin !== '*') && allowOrigin !== origin) {
    return { reason: 'CORSAllowOriginNotMatchingOrigin', parameter: allowOrigin };
  }
  if (withCredentials && headers.get('access-control-allow-credentials') !== 'true') return MISSING_ALLOW_CREDENTIALS;
  return null;
}

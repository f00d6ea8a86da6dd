import type { ChromiumCorsError, FirefoxReason } from './vocabulary';

/**
 * Console text exactly as each browser prints it. Chromium's strings come from Blink's
 * cors_error_string.cc and EventSource; Firefox's from security.properties. The real-browser
 * suite compares these with what the browsers print.
 */

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE_HINT = ' Have the server send the header with a valid value.';

export interface ChromiumCorsMessageInput {
  readonly corsError: ChromiumCorsError;
  readonly failedParameter: string;
  readonly initiator: 'eventsource' | 'fetch';
  readonly initialUrl: string;
  readonly lastUrl: string;
  readonly pageOrigin: string;
}

function chromiumReason(corsError: ChromiumCorsError, hint: string, initiator: 'eventsource' | 'fetch'): string {
  const fetchHint = initiator === 'fetch' ? VALID_VALUE_HINT : '';
  switch (corsError) {
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${hint}', but only one is allowed.${fetchHint}`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${hint}'.${fetchHint}`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${hint}' that is not equal to the supplied origin.${fetchHint}`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${hint}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${hint} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${hint} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${hint}' contains a username and password, which is disallowed for cross-origin requests.`;
  }
}

export function chromiumCorsMessage(input: ChromiumCorsMessageInput): string {
  const kind = input.initiator === 'fetch' ? 'fetch' : 'resource';
  const redirected = input.initialUrl !== input.lastUrl ? `(redirected from '${input.initialUrl}') ` : '';
  const preflight = input.corsError.startsWith('Preflight') ? PREFLIGHT_PREFIX : '';
  return (
    `Access to ${kind} at '${input.lastUrl}' ${redirected}from origin '${input.pageOrigin}' has been blocked by CORS policy: ` +
    preflight +
    chromiumReason(input.corsError, input.failedParameter, input.initiator)
  );
}

export const CHROMIUM_NET_FAILED = 'Failed to load resource: net::ERR_FAILED';

export function chromiumStatusMessage(status: number, statusText: string): string {
  return `Failed to load resource: the server responded with a status of ${status} (${statusText || reasonPhrase(status)})`;
}

export function chromiumMimeMessage(mime: string): string {
  return `EventSource's response has a MIME type ("${mime}") that is not "text/event-stream". Aborting the connection.`;
}

export function chromiumCharsetMessage(charset: string): string {
  return `EventSource's response has a charset ("${charset}") that is not UTF-8. Aborting the connection.`;
}

const FIREFOX_PREFIX = 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at';

export function firefoxCorsMessage(reason: FirefoxReason, url: string, parameter: string | null): string {
  const at = `${FIREFOX_PREFIX} ${url}.`;
  switch (reason) {
    case 'CORSMissingAllowOrigin':
      return `${at} (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: ${parameter ?? '(null)'}.`;
    case 'CORSMultipleAllowOriginNotAllowed':
      return `${at} (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`;
    case 'CORSAllowOriginNotMatchingOrigin':
      return `${at} (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘${parameter ?? ''}’).`;
    case 'CORSNotSupportingCredentials':
      // The one message whose URL Firefox quotes.
      return `${FIREFOX_PREFIX} ‘${url}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`;
    case 'CORSMissingAllowCredentials':
      return `${at} (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`;
    case 'CORSPreflightDidNotSucceed':
      return `${at} (Reason: CORS preflight response did not succeed). Status code: ${parameter ?? '(null)'}.`;
    case 'CORSExternalRedirectNotAllowed':
      return `${at} (Reason: CORS request external redirect not allowed).`;
    case 'CORSMethodNotFound':
      return `${at} (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).`;
    case 'CORSInvalidAllowMethod':
      return `${at} (Reason: invalid token ‘${parameter ?? ''}’ in CORS header ‘Access-Control-Allow-Methods’).`;
    case 'CORSInvalidAllowHeader':
      return `${at} (Reason: invalid token ‘${parameter ?? ''}’ in CORS header ‘Access-Control-Allow-Headers’).`;
    case 'CORSMissingAllowHeaderFromPreflight':
      return `${at} (Reason: header ‘${parameter ?? ''}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`;
    case 'CORSDidNotSucceed':
      return `${at} (Reason: CORS request did not succeed). Status code: ${parameter ?? '(null)'}.`;
  }
}

export function firefoxConnectionFailure(url: string): string {
  return `Firefox can’t establish a connection to the server at ${url}.`;
}

const REASON_PHRASES: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? '';
}

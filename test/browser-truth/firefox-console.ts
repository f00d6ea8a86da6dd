import type { FirefoxReason } from '@/lib/cors/vocabulary';

/**
 * Reads Firefox's reason key back out of its console text. The patterns are the "(Reason: ...)"
 * parts of Firefox's security.properties (see lib/cors/messages.ts), matched independently of the
 * engine's own message builder so a wrong engine message cannot make itself look right.
 */
const PATTERNS: readonly [FirefoxReason, RegExp][] = [
  ['CORSMissingAllowOrigin', /\(Reason: CORS header ‘Access-Control-Allow-Origin’ missing\)/],
  ['CORSMultipleAllowOriginNotAllowed', /\(Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed\)/],
  ['CORSAllowOriginNotMatchingOrigin', /\(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’\)/],
  ['CORSNotSupportingCredentials', /\(Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’\)/],
  ['CORSMissingAllowCredentials', /\(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’\)/],
  ['CORSPreflightDidNotSucceed', /\(Reason: CORS preflight response did not succeed\)/],
  ['CORSExternalRedirectNotAllowed', /\(Reason: CORS request external redirect not allowed\)/],
  ['CORSMethodNotFound', /\(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’\)/],
  ['CORSInvalidAllowMethod', /\(Reason: invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’\)/],
  ['CORSInvalidAllowHeader', /\(Reason: invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’\)/],
  ['CORSMissingAllowHeaderFromPreflight', /\(Reason: header ‘.*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response\)/],
  ['CORSDidNotSucceed', /\(Reason: CORS request did not succeed\)/],
];

export function firefoxReasonOf(line: string): FirefoxReason | null {
  if (!line.startsWith('Cross-Origin Request Blocked:')) return null;
  for (const [reason, pattern] of PATTERNS) if (pattern.test(line)) return reason;
  return null;
}

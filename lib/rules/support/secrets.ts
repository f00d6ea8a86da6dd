/**
 * What counts as a secret in a URL or a header name. Shared by the token-in-query-string rule and
 * report redaction (lib/report/redact.ts), so what the rule warns about is exactly what an export hides.
 */

/** Parameter names that carry secrets, compared lower-cased with `-` and `_` removed. */
const SECRET_PARAMETER_NAMES = new Set([
  'token', 'accesstoken', 'authtoken', 'idtoken', 'auth', 'authorization', 'key', 'apikey', 'jwt',
  'session', 'sessionid', 'sid', 'sig', 'signature', 'password', 'passwd', 'secret',
]);
const SECRET_SUFFIXES = ['token', 'apikey', 'secret', 'password'];

/** Three base64url segments, the first an encoded `{"` header: a JWT whatever it is called. */
export const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function isSecretParameterName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_PARAMETER_NAMES.has(normalized) || SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/**
 * Errors the CLI reports as one line on stderr and exit code 2. Anything user-caused (bad
 * arguments, an unreachable host, a hostile server) becomes one of these; a stack trace never
 * reaches the user.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message} (see sse-inspector --help)`);
    this.name = 'UsageError';
  }
}

/** A request that got no usable response, in Chromium's net error vocabulary plus plain words. */
export interface NetError {
  /** Chromium's name, e.g. `net::ERR_CONNECTION_REFUSED`: what DevTools would show. */
  readonly code: string;
  /** Plain words for the one-line CLI message, e.g. `connection refused`. */
  readonly reason: string;
}

const BY_NODE_CODE: Readonly<Record<string, NetError>> = {
  ECONNREFUSED: { code: 'net::ERR_CONNECTION_REFUSED', reason: 'connection refused' },
  ENOTFOUND: { code: 'net::ERR_NAME_NOT_RESOLVED', reason: 'host name not resolved' },
  EAI_AGAIN: { code: 'net::ERR_NAME_NOT_RESOLVED', reason: 'host name not resolved' },
  ECONNRESET: { code: 'net::ERR_CONNECTION_RESET', reason: 'connection reset' },
  EPIPE: { code: 'net::ERR_CONNECTION_RESET', reason: 'connection reset' },
  ETIMEDOUT: { code: 'net::ERR_CONNECTION_TIMED_OUT', reason: 'connection timed out' },
  EHOSTUNREACH: { code: 'net::ERR_ADDRESS_UNREACHABLE', reason: 'host unreachable' },
  ENETUNREACH: { code: 'net::ERR_ADDRESS_UNREACHABLE', reason: 'network unreachable' },
  EADDRNOTAVAIL: { code: 'net::ERR_ADDRESS_INVALID', reason: 'address not available' },
  HPE_HEADER_OVERFLOW: { code: 'net::ERR_RESPONSE_HEADERS_TOO_BIG', reason: 'response headers too large' },
  ERR_TLS_CERT_ALTNAME_INVALID: { code: 'net::ERR_CERT_COMMON_NAME_INVALID', reason: 'TLS certificate does not match the host' },
  CERT_HAS_EXPIRED: { code: 'net::ERR_CERT_DATE_INVALID', reason: 'TLS certificate expired' },
  DEPTH_ZERO_SELF_SIGNED_CERT: { code: 'net::ERR_CERT_AUTHORITY_INVALID', reason: 'self-signed TLS certificate' },
  SELF_SIGNED_CERT_IN_CHAIN: { code: 'net::ERR_CERT_AUTHORITY_INVALID', reason: 'self-signed TLS certificate in chain' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { code: 'net::ERR_CERT_AUTHORITY_INVALID', reason: 'TLS certificate not trusted' },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { code: 'net::ERR_CERT_AUTHORITY_INVALID', reason: 'TLS certificate not trusted' },
  Z_DATA_ERROR: { code: 'net::ERR_CONTENT_DECODING_FAILED', reason: 'response body could not be decompressed' },
  Z_BUF_ERROR: { code: 'net::ERR_CONTENT_DECODING_FAILED', reason: 'response body could not be decompressed' },
};

export const TOO_MANY_REDIRECTS: NetError = { code: 'net::ERR_TOO_MANY_REDIRECTS', reason: 'too many redirects (more than 20)' };
export const INVALID_REDIRECT: NetError = { code: 'net::ERR_INVALID_REDIRECT', reason: 'redirect to an invalid or non-HTTP location' };
export const CONNECT_TIMEOUT: NetError = BY_NODE_CODE.ETIMEDOUT as NetError;

/** Maps a Node socket/parser error to a NetError; unknown ones keep their first line. */
export function netErrorOf(error: unknown): NetError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  // Node says "socket hang up" when the connection closed before any response byte: Chromium's
  // ERR_EMPTY_RESPONSE. A reset while reading is ECONNRESET with another message.
  if (code === 'ECONNRESET' && error instanceof Error && error.message === 'socket hang up') {
    return { code: 'net::ERR_EMPTY_RESPONSE', reason: 'the server closed the connection without a response' };
  }
  if (code === 'EPROTO') return { code: 'net::ERR_SSL_PROTOCOL_ERROR', reason: 'TLS handshake failed' };
  const known = BY_NODE_CODE[code];
  if (known) return known;
  if (code.startsWith('HPE_')) return { code: 'net::ERR_INVALID_HTTP_RESPONSE', reason: 'invalid HTTP response' };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) {
    return { code: 'net::ERR_SSL_PROTOCOL_ERROR', reason: `TLS error (${code})` };
  }
  // zlib codes, and Brotli's decoder errors, which Node names `ERR__ERROR_FORMAT_...`.
  if (code.startsWith('Z_') || code.startsWith('ERR__ERROR')) {
    return { code: 'net::ERR_CONTENT_DECODING_FAILED', reason: 'response body could not be decompressed' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'net::ERR_FAILED', reason: firstLine(message) || 'network error' };
}

export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]?.trim() ?? '';
}

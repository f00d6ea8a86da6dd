import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import type { HeaderLine, HeaderList } from '../../lib/model/headers';
import { headerMapOf, splitList } from '../../lib/model/headers';
import { CONNECT_TIMEOUT, netErrorOf, type NetError } from './errors';

/**
 * One HTTP request over node:http/https, kept as close to the wire as Node allows: request
 * headers go out in the given order and case, response headers come back from `rawHeaders`
 * with their case and duplicates, and nothing is followed or retried here.
 */

/** Milliseconds since the capture started. */
export type Clock = () => number;

export interface HttpRequestOptions {
  readonly url: URL;
  readonly method: string;
  /** Sent exactly as listed; include Host (Node adds nothing). */
  readonly headers: HeaderList;
  readonly clock: Clock;
  /** Clock time after which a request still waiting for its headers counts as pending. */
  readonly deadline: number;
  /** How long the TCP (and TLS) connection may take. */
  readonly connectTimeout: number;
  readonly maxHeaderBytes?: number;
}

export type HttpOutcome =
  | { readonly kind: 'response'; readonly startedAt: number; readonly response: HttpResponse }
  | { readonly kind: 'error'; readonly startedAt: number; readonly at: number; readonly error: NetError; readonly connected: boolean }
  /** Connected, but the response headers did not arrive before the deadline. */
  | { readonly kind: 'pending'; readonly startedAt: number };

export type BodyStop = 'server' | 'network' | 'limit' | 'deadline';

export interface BodyResult {
  readonly stop: BodyStop;
  readonly error: NetError | null;
  /** Bytes received on the wire (before decompression). */
  readonly wireBytes: number;
  readonly firstByteAt: number | null;
  readonly endedAt: number | null;
}

export interface BodyReadOptions {
  /** Clock time at which reading stops and the response is aborted. */
  readonly until: number;
  /** Decoded bytes after which reading stops (a decompression bomb or an endless body). */
  readonly maxBytes: number;
  readonly onData?: (chunk: Uint8Array, at: number) => void;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  readonly responseAt: number;
  read(options: BodyReadOptions): Promise<BodyResult>;
  abort(): void;
}

export const MAX_HEADER_BYTES = 16 * 1024;

function headerLines(raw: readonly string[]): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push([raw[i] as string, raw[i + 1] as string]);
  return lines;
}

/** A decoder for the response's Content-Encoding, as browsers apply it; null when none applies. */
function decoderFor(headers: HeaderList): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  const codings = splitList(headerMapOf(headers).get('content-encoding')).map((c) => c.toLowerCase());
  // Stacked codings are rare on streams; they are passed through undecoded rather than guessed at.
  if (codings.length !== 1) return null;
  // SYNC_FLUSH hands over every decoded byte at once, so events are seen when they arrive.
  const flush = zlib.constants.Z_SYNC_FLUSH;
  switch (codings[0]) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ flush, finishFlush: flush });
    case 'deflate':
      return zlib.createInflate({ flush, finishFlush: flush });
    case 'br':
      return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return null;
  }
}

function wrapResponse(res: IncomingMessage, clock: Clock, destroy: () => void): HttpResponse {
  const headers = headerLines(res.rawHeaders);
  const responseAt = clock();
  let reading = false;

  function read({ until, maxBytes, onData }: BodyReadOptions): Promise<BodyResult> {
    if (reading) throw new Error('response body read twice');
    reading = true;
    return new Promise((resolve) => {
      const decoder = decoderFor(headers);
      let wireBytes = 0;
      let decodedBytes = 0;
      let firstByteAt: number | null = null;
      let settled = false;
      const timer = setTimeout(() => finish('deadline', null), Math.max(0, until - clock()));

      function finish(stop: BodyStop, error: NetError | null): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const endedAt = stop === 'server' || stop === 'network' ? clock() : null;
        if (stop !== 'server') destroy();
        decoder?.destroy();
        resolve({ stop, error, wireBytes, firstByteAt, endedAt });
      }

      function deliver(chunk: Buffer): void {
        if (settled) return;
        const room = maxBytes - decodedBytes;
        decodedBytes += chunk.length;
        onData?.(chunk.length > room ? chunk.subarray(0, room) : chunk, clock());
        if (decodedBytes >= maxBytes) finish('limit', null);
      }

      if (decoder) {
        decoder.on('data', deliver);
        decoder.on('end', () => finish('server', null));
        decoder.on('error', (error) => finish('network', netErrorOf(error)));
      }
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        wireBytes += chunk.length;
        firstByteAt ??= clock();
        if (decoder) decoder.write(chunk);
        else deliver(chunk);
      });
      res.on('end', () => {
        if (decoder) decoder.end();
        else finish('server', null);
      });
      res.on('error', (error) => finish('network', netErrorOf(error)));
      // A connection closed before the body's declared end (chunked or Content-Length).
      res.on('close', () => {
        if (!res.complete) finish('network', netErrorOf(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      });
      // The response may have finished, or broken, before anyone asked for its body.
      if (res.readableEnded) finish('server', null);
      else if (res.destroyed && !res.complete) finish('network', netErrorOf(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      else res.resume();
    });
  }

  return {
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    httpVersion: `HTTP/${res.httpVersion}`,
    headers,
    responseAt,
    read,
    abort: destroy,
  };
}

/**
 * Header values go out as UTF-8 bytes, as browsers send Last-Event-ID (HTML standard); Node
 * writes header strings as Latin-1, so the bytes are spelled as Latin-1 characters.
 */
function wireValue(value: string): string {
  return /^[\x00-\x7f]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1');
}

export function sendRequest(options: HttpRequestOptions): Promise<HttpOutcome> {
  const { url, method, headers, clock, deadline, connectTimeout } = options;
  const startedAt = clock();
  return new Promise((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    let settled = false;
    let connected = false;
    let req: http.ClientRequest;
    try {
      req = transport.request(url, {
        method,
        headers: headers.flatMap(([name, value]) => [name, wireValue(value)]),
        setHost: false,
        agent: false,
        maxHeaderSize: options.maxHeaderBytes ?? MAX_HEADER_BYTES,
      });
    } catch (error) {
      // Node refuses some header bytes (control characters) that a server's `id:` may contain.
      resolve({ kind: 'error', startedAt, at: clock(), error: { code: 'net::ERR_INVALID_ARGUMENT', reason: `cannot send the request (${netErrorOf(error).reason})` }, connected: false });
      return;
    }
    const destroy = () => req.destroy();

    function settle(outcome: HttpOutcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(deadlineTimer);
      resolve(outcome);
    }

    const connectTimer = setTimeout(() => {
      if (connected) return;
      settle({ kind: 'error', startedAt, at: clock(), error: CONNECT_TIMEOUT, connected });
      destroy();
    }, connectTimeout);

    // Headers that never finish (slow-loris), or an observation that ends while still connecting,
    // leave the exchange pending, as a browser shows it: nothing failed yet.
    const deadlineTimer = setTimeout(() => {
      settle({ kind: 'pending', startedAt });
      destroy();
    }, Math.max(0, deadline - clock()));

    req.on('socket', (socket: Socket) => {
      const event = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      const onConnect = () => {
        connected = true;
      };
      if (!socket.connecting && url.protocol !== 'https:') onConnect();
      else socket.once(event, onConnect);
    });
    req.on('response', (res) => {
      res.on('error', () => undefined);
      settle({ kind: 'response', startedAt, response: wrapResponse(res, clock, destroy) });
    });
    req.on('error', (error) => {
      settle({ kind: 'error', startedAt, at: clock(), error: netErrorOf(error), connected });
    });
    req.end();
  });
}

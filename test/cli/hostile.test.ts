import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStream } from '../../cli/client/capture';
import { main } from '../../cli/main';
import { verdicts } from '../../lib/cors/verdict';
import { closeAll, fakeIo, startRawServer, startServer } from './servers';

/** Servers that try to make the CLI hang, crash or eat memory: each is bounded and reported. */

afterEach(closeAll);

async function cli(argv: string[]) {
  const io = fakeIo();
  const exitCode = await main(argv, io.io);
  return { exitCode, stdout: io.stdout, stderr: io.stderr };
}

const oneLine = /^sse-inspector: [^\n]+\n$/;

describe('hostile servers', () => {
  it('endless response headers: one-line error, exit 2', async () => {
    const server = await startRawServer((socket: Socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n');
      // 64 KB of headers, well past the 16 KB limit; the client gives up long before the end.
      for (let i = 0; i < 1024 && !socket.destroyed; i++) socket.write(`X-Filler-${i}: ${'x'.repeat(50)}\r\n`);
    });
    const result = await cli(['check', server.url(), '--duration', '2']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(oneLine);
    expect(result.stderr).toContain('response headers too large');
  });

  it('a 2 MB event is cut at 1 MB and counted; the stream goes on', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`data: ${'x'.repeat(2 * 1024 * 1024)}\n\n`);
      res.write('data: after\n\n');
    });
    const result = await cli(['check', server.url(), '--duration', '0.5', '--format', 'json', '--fail-on', 'none']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('sse-inspector: note: 1 event(s) larger than 1048576 bytes were cut\n');
    const report = JSON.parse(result.stdout) as { streams: { events: { data: string; size: number }[] }[] };
    const events = report.streams[0]?.events ?? [];
    expect(events.map((e) => e.size)).toEqual([2 * 1024 * 1024 + 8, 13]);
    expect(events[1]?.data).toBe('after');
  });

  it('an endless body stops at the per-attempt byte cap, with a note', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`: ${'p'.repeat(64 * 1024)}\n`);
    });
    const { record, notes } = await captureStream({
      url: server.url(),
      pageOrigin: server.origin,
      client: 'eventsource',
      credentials: false,
      method: 'GET',
      headers: [],
      durationMs: 5000,
      probeSecurity: false,
      userAgent: 'sse-inspector/test',
      limits: { maxBodyBytes: 1000 },
    });
    expect(record.exchanges).toHaveLength(1);
    expect(record.exchanges[0]).toMatchObject({ status: 200, bodyEnd: null });
    expect(record.observedFor).toBeLessThan(5000);
    expect(notes).toEqual(['stopped reading attempt 1 after 1000 bytes of body']);
  });

  it('a redirect loop stops after 20 redirects and is reported as the network error browsers see', async () => {
    const server = await startServer((_req, res, _request, index) => {
      res.writeHead(302, { Location: `/loop?${index + 1}` });
      res.end();
    });
    const result = await cli(['check', server.url('/loop'), '--duration', '1', '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { streams: { exchanges: { status: number | null; error: string | null }[] }[] };
    const exchanges = report.streams[0]!.exchanges;
    // The first request and 20 followed redirects; the 21st redirect is not followed.
    expect(server.requests).toHaveLength(21);
    expect(exchanges.at(-1)).toMatchObject({ status: 302, error: 'net::ERR_TOO_MANY_REDIRECTS' });
  });

  it('slow-loris headers leave a pending exchange at the end of the duration, without an error', async () => {
    const server = await startRawServer((socket: Socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-str');
    });
    const { record } = await captureStream({
      url: server.url(),
      pageOrigin: server.origin,
      client: 'eventsource',
      credentials: false,
      method: 'GET',
      headers: [],
      durationMs: 300,
      probeSecurity: false,
      userAgent: 'sse-inspector/test',
    });
    expect(record.exchanges).toHaveLength(1);
    expect(record.exchanges[0]).toMatchObject({ status: null, error: null, bodyEnd: null, timing: { responseAt: null, endedAt: null } });
    expect(record.observedFor).toBeGreaterThanOrEqual(300);
    expect(verdicts(record).chromium).toMatchObject({ outcome: 'failed', cause: 'pending' });

    const result = await cli(['check', server.url(), '--duration', '0.3']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).not.toBe(2);
  });
});

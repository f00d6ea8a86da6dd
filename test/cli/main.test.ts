import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { closeAll, closedPort, EVENT_STREAM, fakeIo, startServer } from './servers';

afterEach(closeAll);

async function cli(argv: string[], options: Parameters<typeof fakeIo>[0] = {}) {
  const io = fakeIo(options);
  const exitCode = await main(argv, io.io);
  return { exitCode, stdout: io.stdout, stderr: io.stderr };
}

/** A same-origin stream that does everything right. */
const healthy = () =>
  startServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
    res.write('data: ok\n\n');
  });

const wildcardWithCredentials = () =>
  startServer((_req, res) => {
    res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': '*' });
    res.write('data: x\n\n');
  });

describe('main: exit codes', () => {
  it('exits 0 when nothing reaches --fail-on', async () => {
    const server = await healthy();
    const result = await cli(['check', server.url(), '--duration', '0.2']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(server.url());
  });

  it('exits 1 on an error finding, and 0 with --fail-on none', async () => {
    const server = await wildcardWithCredentials();
    const args = ['check', server.url(), '--origin', 'https://app.test', '--credentials', '--format', 'json'];
    const failing = await cli(args);
    expect(failing.exitCode).toBe(1);
    const report = JSON.parse(failing.stdout) as { streams: { findings: { ruleId: string }[] }[] };
    expect(report.streams[0]?.findings.map((f) => f.ruleId)).toContain('acao-wildcard-with-credentials');
    expect((await cli([...args, '--fail-on', 'none'])).exitCode).toBe(0);
  });

  it('exits 2 with one line on stderr when the host refuses the connection', async () => {
    const port = await closedPort();
    const result = await cli(['check', `http://127.0.0.1:${port}/events`, '--duration', '1']);
    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `sse-inspector: cannot connect to http://127.0.0.1:${port}/events: connection refused\n`,
    });
  });

  it.each([
    [['check'], /check needs a URL/],
    [['check', 'ftp://example.test/'], /only http: and https:/],
    [['check', 'not a url'], /not a valid URL/],
    [['check', 'http://x.test/', '--client', 'xhr'], /--client must be one of eventsource, fetch/],
    [['check', 'http://x.test/', '-H', 'X-Api-Key: k'], /--header needs --client fetch/],
    [['check', 'http://x.test/', '--client', 'fetch', '-H', 'no colon'], /--header must look like/],
    [['check', 'http://x.test/', '--method', 'POST'], /--method needs --client fetch/],
    [['check', 'http://x.test/', '--duration', '0'], /--duration must be/],
    [['check', 'http://x.test/', '--duration', 'soon'], /--duration must be/],
    [['check', 'http://x.test/', '--origin', 'https://app.test/path'], /--origin must be a bare origin/],
    [['check', 'http://x.test/', '--bogus'], /Unknown option '--bogus'/],
    [['analyze', 'x.har', '--origin', 'https://a.test'], /--origin is an option of check/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /missing command/],
  ])('exits 2 on the usage error %j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^sse-inspector: [^\n]+\n$/);
  });

  it('exits 2 with one line when analyze cannot read its file', async () => {
    const result = await cli(['analyze', '/nonexistent/file.har']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^sse-inspector: [^\n]+\n$/);
  });

  it('prints help and version with exit 0', async () => {
    expect(await cli(['--help'])).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('sse-inspector check <url>') });
    expect(await cli(['--version'])).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('runs as an executable: node cli/bin.js --version', async () => {
    const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, '--version'], { timeout: 10_000 });
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(stderr).toBe('');
  });
});

describe('main: colour', () => {
  const ESC = '\u001b[';

  it.each([
    ['a terminal', { isTTY: true }, [], true],
    ['a pipe', { isTTY: false }, [], false],
    ['a terminal with --no-color', { isTTY: true }, ['--no-color'], false],
    ['a terminal with NO_COLOR', { isTTY: true, env: { NO_COLOR: '1' } }, [], false],
  ])('colours text output only on %s', async (_name, io, extra, coloured) => {
    const server = await wildcardWithCredentials();
    const result = await cli(['check', server.url(), '--origin', 'https://app.test', '--credentials', ...extra], io);
    expect(result.stdout.includes(ESC)).toBe(coloured);
  });
});

describe('main: --platform', () => {
  it('shows the fix snippet for the chosen server stack, and rejects an unknown one', async () => {
    const server = await wildcardWithCredentials();
    const args = ['check', server.url(), '--origin', 'https://app.test', '--credentials', '--duration', '0.3'];
    const nginx = await cli([...args, '--platform', 'nginx']);
    expect(nginx.stdout).toContain('nginx:');
    expect(nginx.stdout).toContain('map $http_origin');
    expect(nginx.stdout).not.toContain('Express:');
    const unknown = await cli([...args, '--platform', 'rails']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^sse-inspector: --platform must be one of express, .*\n$/);
  });
});

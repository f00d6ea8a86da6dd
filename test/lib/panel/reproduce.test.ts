import { describe, expect, it } from 'vitest';
import { stream } from '@/lib/model/builders';
import { checkCommand, curlCommand, preflightCurlCommand, shellQuote } from '@/lib/panel/reproduce';
import { exportFileName, exportStreams } from '@/lib/panel/export';
import { demoStreams } from '@/lib/panel/demo-feed';

describe('reproduce commands', () => {
  it('quotes for a POSIX shell only when needed', () => {
    expect(shellQuote('http://a.test/x?y=1')).toBe("'http://a.test/x?y=1'");
    expect(shellQuote('http://a.test/x')).toBe('http://a.test/x');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });

  it('reproduces a credentialed cross-origin EventSource', () => {
    const record = stream({ url: 'https://api.test/events', pageOrigin: 'https://app.test', credentials: true });
    expect(curlCommand(record)).toBe("curl -N -sS -D - -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' -H 'Origin: https://app.test' https://api.test/events");
    expect(checkCommand(record)).toBe('sse-inspector check https://api.test/events --origin https://app.test --credentials');
    expect(preflightCurlCommand(record)).toBeNull();
  });

  it('reproduces a fetch client with a method, headers and its preflight', () => {
    const record = stream({ url: 'https://api.test/events', pageOrigin: 'https://app.test', client: 'fetch', method: 'POST', requestHeaders: [['X-API-Key', 'k 1'], ['Content-Type', 'application/json']] });
    expect(curlCommand(record)).toBe("curl -N -sS -D - -X POST -H 'X-API-Key: k 1' -H 'Content-Type: application/json' -H 'Origin: https://app.test' https://api.test/events");
    expect(checkCommand(record)).toBe("sse-inspector check https://api.test/events --origin https://app.test --client fetch --method POST -H 'X-API-Key: k 1' -H 'Content-Type: application/json'");
    expect(preflightCurlCommand(record)).toBe(
      "curl -sS -i -X OPTIONS -H 'Origin: https://app.test' -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type,x-api-key' https://api.test/events",
    );
  });

  it('sends no Origin for a same-origin stream', () => {
    const record = stream({ url: 'https://app.test/events', pageOrigin: 'https://app.test' });
    expect(curlCommand(record)).not.toContain('Origin');
    expect(checkCommand(record)).toBe('sse-inspector check https://app.test/events --origin https://app.test');
  });
});

describe('export', () => {
  it('writes the JSON report contract for the captured streams', () => {
    const streams = demoStreams();
    const options = { toolVersion: '1.2.3', generatedAt: new Date('2026-11-25T20:00:00Z'), platform: 'express', redact: true, redactionSalt: 's' } as const;
    const report = JSON.parse(exportStreams(streams, 'json', options).text) as Record<string, unknown> & { streams: { url: string; findings: { ruleId: string }[] }[] };
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'sse-inspector', version: '1.2.3' }, generatedAt: '2026-11-25T20:00:00.000Z' });
    expect(report.streams.map((s) => s.url)).toEqual(streams.map((s) => s.record.url));
    expect(report.streams[1]!.findings[0]!.ruleId).toBe('acao-wildcard-with-credentials');
    expect(exportFileName(new Date('2026-11-25T20:01:02.345Z'))).toBe('sse-inspector-2026-11-25T20-01-02.json');
    expect(exportFileName(new Date('2026-11-25T20:01:02.345Z'), 'markdown')).toBe('sse-inspector-2026-11-25T20-01-02.md');
  });
});

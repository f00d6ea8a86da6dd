import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzeStreams } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import { buildReport, type Report } from '@/lib/report/index';
import { isSecretHeaderName, redactReport } from '@/lib/report/redact';
import { sha256Hex } from '@/lib/report/sha256';

const OPTIONS = { toolVersion: '1.2.3', generatedAt: '2025-03-01T10:00:00.000Z' };
const JWT_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl';
const BEARER = 'tok-4f9a8b7c6d5e';
const API_KEY = 'key-0123456789';
const SESSION = 'sess-abc123xyz';
const EVENT_TOKEN = 's3cr3t-event-token';
const FORM_PASSWORD = 'hunter2-hunter2';

/** A fetch stream carrying every kind of secret redaction must hide, in every place it can sit. */
function secretReport(): Report {
  const record = stream({
    url: `https://api.test/events?room=7&token=demo&access_token=${JWT_TOKEN}`,
    client: 'fetch',
    credentials: true,
    requestHeaders: [
      ['Authorization', `Bearer ${BEARER}`],
      ['X-API-Key', API_KEY],
      ['Cookie', `sid=${SESSION}; theme=dark`],
      ['Referer', 'https://app.test/page?session=abcdef-123'],
    ],
    preflight: { acao: 'https://app.test', acac: 'true', allowHeaders: 'authorization, x-api-key' },
    acao: 'https://app.test',
    acac: 'true',
    headers: [['Set-Cookie', `sid=${SESSION}; Path=/; SameSite=None; Secure`], ['Cache-Control', 'no-cache']],
    events: [
      { data: `{"user": "ann", "token": "${EVENT_TOKEN}", "n": 1}` },
      { data: `password=${FORM_PASSWORD}&keep=visible` },
      { data: `here is a jwt ${JWT_TOKEN} inline` },
      { data: 'plain data with nothing secret' },
    ],
  });
  return buildReport(analyzeStreams([record]), OPTIONS);
}

const SECRETS = [JWT_TOKEN, BEARER, API_KEY, SESSION, EVENT_TOKEN, FORM_PASSWORD, 'abcdef-123'];

describe('sha256Hex', () => {
  it('agrees with node:crypto on empty, short, multi-block and non-ASCII input', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'b'.repeat(64), 'x'.repeat(1000), 'héllo wörld 😀']) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('redactReport', () => {
  const redacted = redactReport(secretReport());
  const json = JSON.stringify(redacted);
  const stream0 = redacted.streams[0]!;
  const response = stream0.exchanges.find((e) => e.kind === 'response')!;
  const header = (list: readonly (readonly [string, string])[], name: string) => list.find(([n]) => n === name)?.[1];

  it('leaves no secret anywhere in the report', () => {
    const original = JSON.stringify(secretReport());
    for (const secret of SECRETS) {
      expect(original).toContain(secret);
      expect(json).not.toContain(secret);
    }
    expect(redacted.redacted).toBe(true);
  });

  it('keeps the Authorization scheme, cookie names and Set-Cookie attributes', () => {
    expect(header(response.requestHeaders, 'Authorization')).toMatch(/^Bearer \[redacted:[0-9a-f]{8}\]$/);
    expect(header(response.requestHeaders, 'X-API-Key')).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
    expect(header(response.requestHeaders, 'Cookie')).toMatch(/^sid=\[redacted:[0-9a-f]{8}\]; theme=\[redacted:[0-9a-f]{8}\]$/);
    expect(header(response.responseHeaders, 'Set-Cookie')).toMatch(/^sid=\[redacted:[0-9a-f]{8}\]; Path=\/; SameSite=None; Secure$/);
    expect(header(response.requestHeaders, 'Referer')).toMatch(/^https:\/\/app\.test\/page\?session=\[redacted:[0-9a-f]{8}\]$/);
  });

  it('gives equal secrets equal markers and different secrets different ones', () => {
    const cookieMarker = /sid=(\[redacted:[0-9a-f]{8}\])/.exec(header(response.requestHeaders, 'Cookie')!)?.[1];
    const setCookieMarker = /sid=(\[redacted:[0-9a-f]{8}\])/.exec(header(response.responseHeaders, 'Set-Cookie')!)?.[1];
    expect(cookieMarker).toBeDefined();
    expect(setCookieMarker).toBe(cookieMarker);
    // The JWT in the URL and the one quoted in event data are the same secret.
    const urlMarker = /access_token=(\[redacted:[0-9a-f]{8}\])/.exec(stream0.url)?.[1];
    expect(stream0.events[2]?.data).toBe(`here is a jwt ${urlMarker} inline`);
    const markers = new Set(json.match(/\[redacted:[0-9a-f]{8}\]/g));
    // JWT, bearer, API key, session, `dark`, referer session, `demo`, event token, form password.
    expect(markers.size).toBe(9);
  });

  it('replaces query values by parameter name and leaves the rest of the URL as it was', () => {
    expect(stream0.url).toMatch(/^https:\/\/api\.test\/events\?room=7&token=\[redacted:[0-9a-f]{8}\]&access_token=\[redacted:[0-9a-f]{8}\]$/);
    expect(response.url).toBe(stream0.url);
  });

  it('hides secret fields of JSON event data in place, and secret name=value pairs', () => {
    expect(stream0.events[0]?.data).toMatch(/^\{"user": "ann", "token": "\[redacted:[0-9a-f]{8}\]", "n": 1\}$/);
    expect(stream0.events[1]?.data).toMatch(/^password=\[redacted:[0-9a-f]{8}\]&keep=visible$/);
    expect(stream0.events[3]?.data).toBe('plain data with nothing secret');
  });

  it('re-serializes JSON data whose secret is written with escapes', () => {
    const record = stream({ events: [{ data: '{"api_key":"\\u0041BCDEFGH-123"}' }] });
    const data = redactReport(buildReport(analyzeStreams([record]), OPTIONS)).streams[0]?.events[0]?.data;
    expect(data).toMatch(/^\{"api_key":"\[redacted:[0-9a-f]{8}\]"\}$/);
  });

  it('replaces a secret quoted in free text: messages, console lines, fix snippets', () => {
    const report = secretReport();
    const s = report.streams[0]!;
    const quoting: Report = {
      ...report,
      streams: [
        {
          ...s,
          verdicts: { ...s.verdicts, chromium: { ...s.verdicts.chromium, console: [`request to ${s.url} with Bearer ${BEARER}`] } },
          findings: s.findings.map((f) => ({ ...f, message: `${f.message} (key ${API_KEY})` })),
        },
      ],
    };
    const text = JSON.stringify(redactReport(quoting));
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain('token=demo');
  });

  it('leaves CORS header lists, header names and a report without secrets alone', () => {
    const preflight = stream0.exchanges.find((e) => e.kind === 'preflight')!;
    expect(header(preflight.responseHeaders, 'Access-Control-Allow-Headers')).toBe('authorization, x-api-key');
    const clean = buildReport(analyzeStreams([stream({ acao: 'https://app.test', events: [{ data: '{"price": 1}' }] })]), OPTIONS);
    expect(redactReport(clean)).toEqual({ ...clean, redacted: true });
  });

  it('is idempotent, deterministic for one salt, and salted', () => {
    expect(redactReport(redacted)).toEqual(redacted);
    expect(redactReport(secretReport())).toEqual(redacted);
    const salted = JSON.stringify(redactReport(secretReport(), { salt: 'per-export' }));
    expect(salted).not.toBe(json);
    expect(salted.match(/\[redacted:[0-9a-f]{8}\]/g)?.length).toBe(json.match(/\[redacted:[0-9a-f]{8}\]/g)?.length);
  });

  it('names secret headers by what they carry, not by CORS or browser headers that mention them', () => {
    for (const name of ['Authorization', 'proxy-authorization', 'X-API-Key', 'x-auth-token', 'X-Amz-Security-Token', 'X-CSRF-Token', 'X-Session-Id']) {
      expect(isSecretHeaderName(name), name).toBe(true);
    }
    for (const name of ['Access-Control-Allow-Headers', 'Access-Control-Allow-Credentials', 'Sec-WebSocket-Key', 'Content-Type', 'Last-Event-ID', 'WWW-Authenticate']) {
      expect(isSecretHeaderName(name), name).toBe(false);
    }
  });
});

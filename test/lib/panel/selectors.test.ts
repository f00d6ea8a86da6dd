import { describe, expect, it } from 'vitest';
import { stream } from '@/lib/model/builders';
import { capturedStream } from '@/lib/panel/demo-feed';
import { attemptsOf, isProblem, neighbourKey, outcomeCounts, verdictsDiffer, visibleStreams } from '@/lib/panel/selectors';
import type { FilterState } from '@/lib/panel/state';

const ORIGIN = 'https://app.test';
const GOOD_HEADERS = [['Cache-Control', 'no-cache'], ['Vary', 'Origin']] as const;
const healthy = capturedStream(stream({ id: 'healthy', url: 'https://api.test/b-healthy', pageOrigin: ORIGIN, acao: ORIGIN, headers: GOOD_HEADERS }), { startedAt: 1 });
const wildcard = capturedStream(stream({ id: 'wildcard', url: 'https://api.test/c-wildcard', pageOrigin: ORIGIN, acao: '*', credentials: true }), { startedAt: 2 });
const infoOnly = capturedStream(
  stream({ id: 'info', url: 'https://api.test/a-info', pageOrigin: ORIGIN, client: 'fetch', requestHeaders: [['X-API-Key', 'k']], preflight: { acao: ORIGIN, allowHeaders: 'X-API-Key' }, acao: ORIGIN, headers: GOOD_HEADERS }),
  { startedAt: 3 },
);
const charset = capturedStream(stream({ id: 'charset', url: 'https://api.test/d-charset', pageOrigin: ORIGIN, acao: ORIGIN, contentType: 'text/event-stream; charset=iso-8859-1' }), { startedAt: 0 });
const loop = capturedStream(stream({ id: 'loop', url: 'https://api.test/e-loop', pageOrigin: ORIGIN, acao: ORIGIN, attempts: 4, bodyEnd: 'server' }), { startedAt: 4, observed: 'reconnecting' });
const byKey = new Map([healthy, wildcard, infoOnly, charset, loop].map((s) => [s.key, s]));
const ALL: FilterState = { text: '', outcome: 'all', onlyProblems: false };
const keys = (list: { key: string }[]) => list.map((s) => s.key);

describe('panel selectors', () => {
  it('counts blocked, failed, reconnecting, a browser disagreeing, or an error/warning as a problem, not info alone', () => {
    expect(infoOnly.analysis.findings.map((f) => f.severity)).toEqual(['info']);
    expect([healthy, wildcard, infoOnly, charset, loop].map(isProblem)).toEqual([false, true, false, true, true]);
  });

  it('sees when Chromium and Firefox disagree', () => {
    expect(verdictsDiffer(charset)).toBe(true);
    expect(verdictsDiffer(wildcard)).toBe(false);
  });

  it('counts attempts from the exchanges', () => {
    expect(attemptsOf(loop)).toBe(4);
    expect(attemptsOf(healthy)).toBe(1);
  });

  it('filters by URL text (case-insensitive), outcome and problems', () => {
    expect(keys(visibleStreams(byKey, { ...ALL, text: '  WILDCARD ' }, 'started'))).toEqual(['wildcard']);
    expect(keys(visibleStreams(byKey, { ...ALL, outcome: 'reconnecting' }, 'started'))).toEqual(['loop']);
    expect(keys(visibleStreams(byKey, { ...ALL, onlyProblems: true }, 'started'))).toEqual(['charset', 'wildcard', 'loop']);
  });

  it('sorts by start, URL, severity and last activity', () => {
    expect(keys(visibleStreams(byKey, ALL, 'started'))).toEqual(['charset', 'healthy', 'wildcard', 'info', 'loop']);
    expect(keys(visibleStreams(byKey, ALL, 'url'))).toEqual(['info', 'healthy', 'wildcard', 'charset', 'loop']);
    // Errors first (earliest first among equals), then info-only, then nothing.
    expect(keys(visibleStreams(byKey, ALL, 'severity'))).toEqual(['charset', 'wildcard', 'loop', 'info', 'healthy']);
    expect(keys(visibleStreams(byKey, ALL, 'activity'))[0]).toBe('loop');
  });

  it('counts streams per observed outcome', () => {
    expect(outcomeCounts(byKey)).toMatchObject({ open: 2, blocked: 1, failed: 1, reconnecting: 1, connecting: 0 });
  });

  it('steps through rows and stays at the ends', () => {
    const rows = visibleStreams(byKey, ALL, 'started');
    expect(neighbourKey(rows, null, 1)).toBe('charset');
    expect(neighbourKey(rows, null, -1)).toBe('loop');
    expect(neighbourKey(rows, 'healthy', 1)).toBe('wildcard');
    expect(neighbourKey(rows, 'charset', -1)).toBe('charset');
    expect(neighbourKey([], 'x', 1)).toBeNull();
  });
});

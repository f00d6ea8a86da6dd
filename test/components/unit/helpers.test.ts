import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '@/components/controls/format';
import { headerMarks } from '@/lib/model/header-marks';
import { dataPreview, formatData, searchEvents } from '@/components/messages/view';
import { axisTicks, timelineModel } from '@/components/timeline/model';
import { describeEvidence } from '@/components/diagnosis/evidence';
import { analyzeStream } from '@/lib/engine';
import { stream } from '@/lib/model/builders';

describe('message view helpers', () => {
  const events = stream({ events: [{ type: 'price', data: '{"a":1}', id: '7' }, { type: 'ping', data: 'Hello' }, { type: 'price', data: 'x', id: 'HELLO-2' }] }).events;

  it('searches type, id and data case-insensitively, keeping order', () => {
    expect(searchEvents(events, '')).toBeNull();
    expect([...searchEvents(events, ' hello ')!]).toEqual([1, 2]);
    expect([...searchEvents(events, 'PRICE')!]).toEqual([0, 2]);
    expect([...searchEvents(events, 'nothing')!]).toEqual([]);
  });

  it('previews data on one line with control and bidi characters made visible', () => {
    expect(dataPreview('a\nb\u202ec')).toBe('a\\nb\\u{202e}c');
    expect(dataPreview('x'.repeat(200))).toBe(`${'x'.repeat(160)}…`);
  });

  it('pretty-prints JSON only when it parses', () => {
    expect(formatData('{"a":[1,2]}', 'json')).toEqual({ text: '{\n  "a": [\n    1,\n    2\n  ]\n}', json: true });
    expect(formatData('{"a":', 'json')).toEqual({ text: '{"a":', json: false });
    expect(formatData('{"a":1}', 'text')).toEqual({ text: '{"a":1}', json: false });
  });
});

describe('timeline model', () => {
  it('picks round axis ticks', () => {
    expect(axisTicks(18_000)).toEqual([0, 5000, 10_000, 15_000]);
    expect(axisTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(0)).toEqual([0]);
  });

  it('draws one lane per attempt, the gaps between them, and bins events', () => {
    const record = stream({ attempts: 3, interval: 2, bodyEnd: 'server', preflight: {}, client: 'fetch', requestHeaders: [['X-Key', '1']], events: [{ at: 30 }, { at: 31 }, { at: 4030, attempt: 3 }] });
    const model = timelineModel(record, null);
    expect(model.attempts.map((lane) => [lane.attempt, lane.start, lane.segments.map((s) => s.kind)])).toEqual([
      [1, 0, ['preflight', 'response']],
      [2, 2000, ['preflight', 'response']],
      [3, 4000, ['preflight', 'response']],
    ]);
    expect(model.reconnectGaps).toEqual([{ from: 0, to: 2000 }, { from: 2000, to: 4000 }]);
    expect(model.timeToFirstByte).toBe(10);
    expect(model.firstEventAt).toBe(30);
    expect(model.eventBins.reduce((n, bin) => n + bin.count, 0)).toBe(3);
    expect(model.eventBins).toHaveLength(2);
  });

  it('runs a still-open response to the end of the axis', () => {
    const model = timelineModel(stream({ observedFor: 5000 }), null);
    expect(model.attempts[0]).toMatchObject({ stillOpen: true, end: 5000 });
  });
});

describe('header marks and evidence', () => {
  it('marks the evidence line and lists a missing header once, with every rule that points at it', () => {
    const record = stream({ pageOrigin: 'https://app.test', acao: '*', credentials: true });
    const { findings } = analyzeStream(record);
    const marks = headerMarks(record.exchanges, findings);
    expect([...marks[0]!.response.entries()]).toEqual([[1, { severity: 'error', ruleIds: ['acao-wildcard-with-credentials'] }]]);
    expect(describeEvidence(record, findings[0]!.evidence[0]!)).toEqual({ where: 'response #1 (attempt 1, 200)', header: 'Access-Control-Allow-Origin: *', note: null });
  });

  it('says which header is missing', () => {
    const record = stream({ pageOrigin: 'https://app.test' });
    const { findings } = analyzeStream(record);
    const acaoMissing = findings.find((f) => f.ruleId === 'acao-missing')!;
    const marks = headerMarks(record.exchanges, [acaoMissing, acaoMissing]);
    expect(marks[0]!.missing).toEqual([{ side: 'response', header: 'Access-Control-Allow-Origin', mark: { severity: 'error', ruleIds: ['acao-missing'] } }]);
  });
});

describe('formatting', () => {
  it('formats durations and sizes densely', () => {
    expect([formatDuration(5), formatDuration(3000), formatDuration(12_345), formatDuration(125_000)]).toEqual(['5 ms', '3.00 s', '12.3 s', '2 min 5 s']);
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '3.0 MB']);
  });
});

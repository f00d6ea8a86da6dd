import { describe, expect, it } from 'vitest';
import { createEventStreamCollector, parseEventStream, utf8Length } from '../../../lib/capture/event-stream';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseEventStream', () => {
  it.each([
    ['LF', 'data: a\n\n'],
    ['CRLF', 'data: a\r\n\r\n'],
    ['CR', 'data: a\r\r'],
  ])('splits lines ending in %s', (_name, body) => {
    const { events } = parseEventStream(body);
    expect(events).toEqual([{ at: 0, attempt: 1, type: 'message', data: 'a', id: null, size: body.length }]);
  });

  it('joins data lines, names events and strips one leading BOM', () => {
    const { events } = parseEventStream(bytes('\uFEFFevent: tick\ndata: 1\ndata:2\n\n'));
    expect(events.map((e) => [e.type, e.data])).toEqual([['tick', '1\n2']]);
  });

  it('keeps the last event id across events and ignores ids containing NULL', () => {
    const capture = parseEventStream('id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\n');
    expect(capture.events.map((e) => e.id)).toEqual(['7', '7', '7']);
    expect(capture.lastEventId).toBe('7');
  });

  it('sets the last event id from an event without data, which dispatches nothing', () => {
    const capture = parseEventStream('id: 42\n\n');
    expect(capture.events).toEqual([]);
    expect(capture.lastEventId).toBe('42');
  });

  it('an empty id resets the last event id', () => {
    const capture = parseEventStream('id: 1\ndata: a\n\nid\ndata: b\n\n');
    expect(capture.events.map((e) => e.id)).toEqual(['1', null]);
    expect(capture.lastEventId).toBe('');
  });

  it('records valid retry values only, and comments dispatch nothing', () => {
    const capture = parseEventStream(': hi\nretry: 100\nretry: 1.5\nretry: 250\n\n');
    expect(capture.retryValues).toEqual([100, 250]);
    expect(capture.reconnectionTime).toBe(250);
    expect(capture.events).toEqual([]);
  });

  it('drops an unterminated event at the end of the body', () => {
    expect(parseEventStream('data: a\n\ndata: b\n').events.map((e) => e.data)).toEqual(['a']);
  });

  it('counts sizes in UTF-8 bytes', () => {
    const [event] = parseEventStream(bytes('data: é€😀\n\n')).events;
    expect(event?.size).toBe(utf8Length('data: é€😀\n\n'));
    expect(event?.size).toBe(6 + 2 + 3 + 4 + 2);
  });

  it('cuts an oversized event, keeps its full size and goes on with the next one', () => {
    const big = 'x'.repeat(5000);
    const capture = parseEventStream(`id: 9\ndata: ${big}\n\ndata: next\n\n`, { maxEventBytes: 1000 });
    expect(capture.events).toHaveLength(2);
    const [cut, next] = capture.events;
    expect(cut?.data.length).toBeLessThanOrEqual(1000);
    expect(cut?.data.startsWith('xxx')).toBe(true);
    expect(cut?.size).toBe(`id: 9\ndata: ${big}\n\n`.length);
    expect(cut?.id).toBe('9');
    expect(next?.data).toBe('next');
    expect(capture.truncatedEvents).toBe(1);
  });

  it('never buffers more than the limit of a line that arrives in many chunks', () => {
    const collector = createEventStreamCollector({ maxEventBytes: 100 });
    const connection = collector.connection(1);
    connection.feed('data: ', 0);
    for (let i = 0; i < 50; i++) connection.feed('y'.repeat(10), i);
    connection.feed('\n\ndata: after\n\n', 60);
    expect(collector.events.map((e) => [e.data.length, e.size])).toEqual([
      [94, 6 + 500 + 2],
      [5, 13],
    ]);
  });

  it('keeps at most maxEvents and counts the rest', () => {
    const capture = parseEventStream('data: a\n\n'.repeat(5), { maxEvents: 3 });
    expect(capture.events).toHaveLength(3);
    expect(capture.droppedEvents).toBe(2);
  });
});

describe('createEventStreamCollector', () => {
  it('handles a CRLF and a UTF-8 sequence split across chunks', () => {
    const collector = createEventStreamCollector();
    const connection = collector.connection(1);
    const body = bytes('data: é\r\n\r\n');
    connection.feed(body.slice(0, 7), 1); // splits é
    connection.feed(body.slice(7, 9), 2); // ends in CR
    connection.feed(body.slice(9), 3);
    expect(collector.events).toEqual([{ at: 3, attempt: 1, type: 'message', data: 'é', id: null, size: body.length }]);
  });

  it('starts each connection afresh but keeps the last event id and the events', () => {
    const collector = createEventStreamCollector();
    const first = collector.connection(1);
    first.feed('id: 3\ndata: a\n\ndata: half', 10);
    first.end();
    const second = collector.connection(2);
    second.feed('data: b\n\n', 20);
    expect(collector.events.map((e) => [e.attempt, e.data, e.id, e.at])).toEqual([
      [1, 'a', '3', 10],
      [2, 'b', '3', 20],
    ]);
  });
});

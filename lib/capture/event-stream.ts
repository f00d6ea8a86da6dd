import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { StreamEvent } from '../model/record';

/**
 * Turns the bytes (or text) of one or more event-stream responses into `StreamEvent`s, the way
 * an EventSource reads them (HTML standard "event stream interpretation"). Pure and free of
 * browser or Node APIs beyond TextDecoder, so the CLI and the extension share it.
 *
 * Lines are split here and fed to eventsource-parser one at a time: that is how each event's
 * raw size is known, how an oversized event is cut off before it is buffered whole, and how the
 * last event ID follows the spec (an `id:` with no `data:` still sets it; the parser drops such
 * events silently).
 */

export interface EventStreamLimits {
  /** Bytes one event may take before it is cut (default 1 MB). */
  readonly maxEventBytes: number;
  /** Events kept per stream; later ones only count towards `droppedEvents` (default 10,000). */
  readonly maxEvents: number;
  /** `retry:` values kept (default 1,000). */
  readonly maxRetryValues: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = {
  maxEventBytes: 1024 * 1024,
  maxEvents: 10_000,
  maxRetryValues: 1_000,
};

/** One connection's body: a fresh decoder and parser, as every reconnect starts one. */
export interface EventStreamConnection {
  /** `at` is when the chunk arrived, in the record's time base. */
  feed(chunk: Uint8Array | string, at: number): void;
  /** The body ended; an event without its closing blank line is dropped, as browsers do. */
  end(): void;
}

export interface EventStreamCapture {
  readonly events: readonly StreamEvent[];
  readonly droppedEvents: number;
  /** Events kept with `data` cut at the size limit (their `size` is still the full size). */
  readonly truncatedEvents: number;
  readonly retryValues: readonly number[];
  /** The reconnection time the server last asked for, or null when it sent no valid `retry:`. */
  readonly reconnectionTime: number | null;
  /** The EventSource's last event ID string; sent as Last-Event-ID on reconnect when not empty. */
  readonly lastEventId: string;
}

export interface EventStreamCollector extends EventStreamCapture {
  connection(attempt: number): EventStreamConnection;
}

const LF = 10;
const CR = 13;

/** UTF-8 length of a string, counted without allocating (lone surrogates count as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** The field name of an event-stream line: up to the first colon, or the whole line. */
function fieldName(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? line : line.slice(0, colon);
}

function fieldValue(line: string): string {
  const colon = line.indexOf(':');
  if (colon < 0) return '';
  return line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a surrogate pair. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 3) return text;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3;
    if (bytes + width > maxBytes) return text.slice(0, i);
    bytes += width;
    if (width === 4) i++;
  }
  return text;
}

export function createEventStreamCollector(limits: Partial<EventStreamLimits> = {}): EventStreamCollector {
  const { maxEventBytes, maxEvents, maxRetryValues } = { ...DEFAULT_EVENT_STREAM_LIMITS, ...limits };
  const events: StreamEvent[] = [];
  const retryValues: number[] = [];
  let droppedEvents = 0;
  let truncatedEvents = 0;
  let reconnectionTime: number | null = null;
  let lastEventId = '';

  function keep(event: StreamEvent, truncated: boolean): void {
    if (events.length >= maxEvents) {
      droppedEvents++;
      return;
    }
    events.push(event);
    if (truncated) truncatedEvents++;
  }

  function connection(attempt: number): EventStreamConnection {
    // Bytes are decoded as UTF-8 whatever the Content-Type says (browser-facts §5); the
    // decoder strips one leading BOM per connection.
    const decoder = new TextDecoder('utf-8');
    let first = true;
    let at = 0;
    // Bytes of the current event so far, terminators included: the event's `size`.
    let eventBytes = 0;
    // An `id:` seen in the current event; it becomes the last event ID at the blank line.
    let pendingId: string | null = null;
    // The unterminated tail of the text, as fragments: one huge line may arrive in many chunks.
    let partial: string[] = [];
    let partialBytes = 0;
    // The current event outgrew the limit: what fit was dispatched, the rest is skipped.
    let overflow: { event: StreamEvent | null; lineHasContent: boolean } | null = null;
    // A chunk ended in CR: a LF opening the next chunk completes that CRLF.
    let afterCR: { blank: boolean } | null = null;
    let dispatched: StreamEvent | null = null;

    const parser: EventSourceParser = createParser({
      onEvent(message) {
        dispatched = {
          at,
          attempt,
          // EventSource dispatches unnamed events as `message`.
          type: message.event ?? 'message',
          data: message.data,
          // MessageEvent#lastEventId semantics: the id persists until the server changes it.
          id: lastEventId === '' ? null : lastEventId,
          size: eventBytes,
        };
      },
      onRetry(retry) {
        reconnectionTime = retry;
        if (retryValues.length < maxRetryValues) retryValues.push(retry);
      },
    });

    /** Feeds a line to the parser and returns the event it dispatched, if any. */
    function feedLine(text: string): StreamEvent | null {
      dispatched = null;
      parser.feed(`${text}\n`);
      return dispatched;
    }

    function endEvent(): void {
      // The spec sets the last event ID at every blank line, even when no event is dispatched.
      if (pendingId !== null) lastEventId = pendingId;
      pendingId = null;
      if (overflow) {
        // Dispatched early with what fit; it really ends here, with this id and this size.
        if (overflow.event) keep({ ...overflow.event, at, id: lastEventId === '' ? null : lastEventId, size: eventBytes }, true);
        overflow = null;
      } else {
        const event = feedLine('');
        if (event) keep(event, false);
      }
      eventBytes = 0;
    }

    /** Dispatches what fits of an oversized event now, so its rest never has to be buffered. */
    function startOverflow(cutLine: string, lineHasContent: boolean): void {
      const budget = Math.max(0, maxEventBytes - (eventBytes - utf8Length(cutLine)));
      if (fieldName(cutLine) === 'data') parser.feed(`${truncateUtf8(cutLine, budget)}\n`);
      const event = feedLine('');
      overflow = { event, lineHasContent };
    }

    function completeLine(text: string, bytes: number): void {
      if (text === '') {
        eventBytes += bytes;
        endEvent();
        return;
      }
      eventBytes += bytes;
      if (eventBytes > maxEventBytes) {
        startOverflow(text, false);
        return;
      }
      if (fieldName(text) === 'id') {
        const value = fieldValue(text);
        // An id containing NULL is ignored (HTML standard).
        if (!value.includes('\0')) pendingId = value;
      }
      feedLine(text);
    }

    function lineEnd(segment: string, terminatorBytes: number): boolean {
      if (overflow) {
        const blank = segment === '' && !overflow.lineHasContent;
        overflow.lineHasContent = false;
        eventBytes += utf8Length(segment) + terminatorBytes;
        if (blank) endEvent();
        return blank;
      }
      const text = partial.length === 0 ? segment : partial.join('') + segment;
      const bytes = partialBytes + utf8Length(segment) + terminatorBytes;
      partial = [];
      partialBytes = 0;
      completeLine(text, bytes);
      return text === '';
    }

    function tail(segment: string): void {
      if (segment === '') return;
      const bytes = utf8Length(segment);
      if (overflow) {
        overflow.lineHasContent = true;
        eventBytes += bytes;
        return;
      }
      partial.push(segment);
      partialBytes += bytes;
      if (eventBytes + partialBytes > maxEventBytes) {
        const cut = partial.join('');
        eventBytes += partialBytes;
        partial = [];
        partialBytes = 0;
        startOverflow(cut, true);
      }
    }

    function scan(text: string): void {
      let start = 0;
      if (afterCR && text.charCodeAt(0) === LF) {
        // The byte belongs to the line that already ended; a blank line's event is gone.
        if (!afterCR.blank) eventBytes += 1;
        start = 1;
      }
      afterCR = null;
      for (let i = start; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code !== LF && code !== CR) continue;
        const crlf = code === CR && text.charCodeAt(i + 1) === LF;
        const blank = lineEnd(text.slice(start, i), crlf ? 2 : 1);
        if (crlf) i++;
        else if (code === CR && i === text.length - 1) afterCR = { blank };
        start = i + 1;
      }
      tail(text.slice(start));
    }

    return {
      feed(chunk, chunkAt) {
        at = chunkAt;
        let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        if (first && text !== '') {
          first = false;
          if (typeof chunk === 'string' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        if (text !== '') scan(text);
      },
      end() {
        // An unterminated line or event at the end of the body is discarded (HTML standard).
        partial = [];
        partialBytes = 0;
        overflow = null;
        parser.reset();
      },
    };
  }

  return {
    get events() {
      return events;
    },
    get droppedEvents() {
      return droppedEvents;
    },
    get truncatedEvents() {
      return truncatedEvents;
    },
    get retryValues() {
      return retryValues;
    },
    get reconnectionTime() {
      return reconnectionTime;
    },
    get lastEventId() {
      return lastEventId;
    },
    connection,
  };
}

/** Reads one complete body in one go (HAR content, a test fixture). */
export function parseEventStream(body: Uint8Array | string, limits: Partial<EventStreamLimits> = {}): EventStreamCapture {
  const collector = createEventStreamCollector(limits);
  const connection = collector.connection(1);
  connection.feed(body, 0);
  connection.end();
  return collector;
}

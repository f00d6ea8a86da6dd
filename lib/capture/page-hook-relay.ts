import { createParser, type EventSourceParser } from 'eventsource-parser';
import { clip, EVENT_SLOTS, EVENT_STREAM_TYPE, PAGE_HOOK_BOUNDS, parsePageHookWireBatch, type HookHeader, type PageHookMessage, type PageHookWireMessage, type ReadyState } from './protocol';

/**
 * The isolated-world end of the page hook. The hook posts raw facts (protocol.ts, "Hop 1 on
 * the wire"); the relay checks them, turns them into observations (`PageHookMessage`) and keeps
 * those in a bounded buffer until the background hop takes them. What the hook left to it:
 * - clipping every field to its observation bound, and resolving relative request URLs;
 * - readyState transitions (`ready-state` after `stream-created`, `open`, `error`, close());
 * - the bounds: events per stream (then `dropped`), streams per page (then `streams-dropped`);
 * - parsing fetch and XMLHttpRequest stream bodies with eventsource-parser, one decoder and
 *   parser per stream.
 *
 * It runs on the page's main thread too, so its work waits for idle moments and runs in short
 * slices (a network or input task of the page waits at most one slice), in arrival order: a
 * stream's `body-end` never overtakes the events parsed from the body before it. While batches
 * keep coming (a burst), it also waits for them to pause, at most `maxDelayMs` after the oldest.
 */

export interface RelayLimits {
  /**
   * Observations the buffer holds. With `deliver` they are handed on when it is full (the next
   * hop bounds them); without it (tests) the rest are counted as `overflowed`.
   */
  readonly maxMessages: number;
  /** Sum of `data` lengths kept (a message can carry 16K characters); handled as `maxMessages`. */
  readonly maxDataChars: number;
  /** Events reported per stream; later ones only count in a `dropped` message. */
  readonly maxEventsPerStream: number;
  /** Streams observed per page (created, not concurrent: a page that re-creates forever is bounded). */
  readonly maxStreams: number;
  /**
   * Posted batches not read yet, wire messages (an EventSource event counts as one) and body
   * bytes waiting: past any of these, work goes on at once, whatever the page is doing.
   */
  readonly maxPendingBatches: number;
  readonly maxPendingMessages: number;
  readonly maxPendingBytes: number;
  /** The longest one idle slice of work runs. */
  readonly maxSliceMs: number;
  /** The longest work waits for the page to be idle. */
  readonly maxDelayMs: number;
  /**
   * Work waits, even in idle moments, until no batch came for this long, or until the oldest waited
   * `maxDelayMs`: a burst (the page taking in a fast stream) is not slowed by the relay's parsing in
   * its gaps. (Working on the first batch of a burst at once undid most of that: the hook's first
   * idle post of a 20 ms burst can carry most of it.)
   */
  readonly quietMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxMessages: 5000,
  maxDataChars: 4_000_000,
  maxEventsPerStream: 10_000,
  maxStreams: 256,
  // The hook posts at least every 500 ms: about four seconds of a page that is never idle.
  maxPendingBatches: 8,
  maxPendingMessages: 20_000,
  maxPendingBytes: 8 * 1024 * 1024,
  // About what React's scheduler yields after: long enough to amortize, short enough not to be felt.
  maxSliceMs: 4,
  maxDelayMs: 250,
  // The hook posts at every idle moment: during a burst, a batch every frame or so.
  quietMs: 50,
};

/** requestIdleCallback's deadline, as far as the relay reads it. */
export interface IdleDeadlineLike {
  readonly didTimeout: boolean;
  timeRemaining(): number;
}

/** The timing the relay needs, so tests can drive it by hand. */
export interface RelayScheduler {
  requestIdle(callback: (deadline: IdleDeadlineLike) => void, timeoutMs: number): void;
  now(): number;
}

/** The window's idle callbacks (or timers where there are none, e.g. Node). */
export function windowScheduler(win: Pick<typeof globalThis, 'setTimeout' | 'performance'> & { requestIdleCallback?: typeof requestIdleCallback } = globalThis): RelayScheduler {
  const timedOut: IdleDeadlineLike = { didTimeout: true, timeRemaining: () => 0 };
  return {
    requestIdle: (callback, timeout) => void (win.requestIdleCallback ? win.requestIdleCallback(callback, { timeout }) : win.setTimeout(() => callback(timedOut), timeout)),
    now: () => win.performance.now(),
  };
}

export interface HookRelayOptions {
  readonly limits?: RelayLimits;
  readonly scheduler?: RelayScheduler;
  /** The document's base URL, against which a relative fetch URL is resolved (as fetch() did). */
  readonly baseUrl?: () => string;
  /**
   * Takes the observations of each work slice, which then leave the relay's buffer (so its bound
   * counts only what is waiting). Without it they stay in `messages` (tests).
   */
  readonly deliver?: (messages: PageHookMessage[]) => void;
}

export interface HookRelay {
  /** A batch the hook posted. */
  receive(data: unknown): void;
  /**
   * A batch the hook posted, read (deserialized) only when the relay gets to it: over the port,
   * reading `MessageEvent#data` is what copies the batch into this world.
   */
  receiveLater(read: () => unknown): void;
  /** Does all pending work now (tests, benchmarks, and before the page unloads). */
  flush(): void;
  /** Observations kept so far, oldest first (until the background hop takes them). */
  readonly messages: readonly PageHookMessage[];
  /**
   * Wire messages that failed validation, or that contradict what their stream already said (a
   * taken id, an event after close). Messages of unknown streams (past the bound of streams, or
   * never created) are ignored without counting.
   */
  readonly rejected: number;
  /** Valid observations not kept because the buffer was full. */
  readonly overflowed: number;
  /** Observations made so far (delivered or waiting). */
  readonly kept: number;
}

// A line or event longer than this is not buffered: the event is dropped (and counted).
const MAX_PARSER_BUFFER = PAGE_HOOK_BOUNDS.maxDataLength * 64;
// Body text is fed to the parser in pieces of this many characters, events handled this many at
// a time: one piece per step, so a slice can stop on time.
const FEED_CHARS = 16 * 1024;
const EVENTS_PER_STEP = 512;
const LF = 10;
const CR = 13;

/** Decoder and parser state of one fetch stream's body. */
interface BodyParser {
  readonly decoder: TextDecoder;
  readonly parser: EventSourceParser;
  /** When the chunk being parsed arrived: the time of every event it completes. */
  at: number;
  /** MessageEvent.lastEventId semantics: the last `id:` persists until the server changes it. */
  lastEventId: string;
  /** The parser gave up on an event past MAX_PARSER_BUFFER: skip to the blank line that ends it. */
  overflowed: boolean;
  skipping: boolean;
  /** While skipping: the last character ended a line, so a line end now is a blank line. */
  atLineStart: boolean;
  /** While skipping: the last character was CR, so a LF now completes that CRLF. */
  afterCR: boolean;
}

interface RelayStream {
  readonly id: number;
  readonly kind: 'eventsource' | 'fetch';
  state: ReadyState;
  /** Closed by the page, or a fetch stream's body ended or failed: nothing more is reported. */
  closed: boolean;
  events: number;
  /** Events past the relay's bound, and the hook's running total of those past its own. */
  dropped: number;
  hookDropped: number;
  droppedSent: number;
  body: BodyParser | null;
}

export function createHookRelay(options: HookRelayOptions = {}): HookRelay {
  const limits = options.limits ?? DEFAULT_RELAY_LIMITS;
  const scheduler = options.scheduler ?? windowScheduler();
  const baseUrl = options.baseUrl ?? (() => globalThis.location?.href ?? '');
  const b = PAGE_HOOK_BOUNDS;
  const messages: PageHookMessage[] = [];
  const streams = new Map<number, RelayStream>();
  let admitted = 0;
  let streamsDropped = 0;
  let streamsDroppedSent = 0;
  let dataChars = 0;
  // Posted batches not read yet, oldest first.
  const unread: (() => unknown)[] = [];
  // The messages of the batches read so far, in arrival order; `head` is the next to handle
  // (shifting the array each step would be quadratic).
  let queue: PageHookWireMessage[] = [];
  let head = 0;
  // How far the item at `head` has been handled (events done, or body characters fed), and its
  // decoded text; -1 before it is started.
  let offset = -1;
  let text = '';
  // What the queue holds past `head`: messages (events counted one by one) and body bytes.
  let pendingMessages = 0;
  let pendingBytes = 0;
  let idleRequested = false;
  // When the last batch came, and when the oldest one not yet worked through came (-1: none waits).
  let lastArrival = Number.NEGATIVE_INFINITY;
  let waitingSince = -1;

  const relay = {
    messages,
    rejected: 0,
    overflowed: 0,
    kept: 0,
    receive: (data: unknown) => receiveLater(() => data),
    receiveLater,
    flush: () => work(Number.POSITIVE_INFINITY),
  };

  /**
   * Whether the buffer has room for one more observation with `chars` of data. A slice can make
   * more than the buffer holds (one step parses hundreds of events, and a slice goes on while work
   * is past a pending bound): with a `deliver`, what is made leaves as soon as the buffer is full,
   * so only the next hop's bound can drop anything.
   */
  function room(chars: number): boolean {
    if (messages.length < limits.maxMessages && dataChars + chars <= limits.maxDataChars) return true;
    if (!options.deliver) return false;
    deliver();
    return chars <= limits.maxDataChars;
  }

  function keep(message: PageHookMessage): void {
    if (!room(0)) relay.overflowed++;
    else {
      messages.push(message);
      relay.kept++;
    }
  }

  /** Keeps one event (or counts it: past the stream's bound, or when the buffer is full, it is not built). */
  function event(stream: RelayStream, type: string, data: string, lastEventId: string, size: number, at: number): void {
    if (stream.events >= limits.maxEventsPerStream) {
      stream.dropped++;
      return;
    }
    stream.events++;
    const kept = clip(data, b.maxDataLength);
    if (!room(kept.length)) {
      relay.overflowed++;
      return;
    }
    messages.push({ type: 'message', streamId: stream.id, event: clip(type, b.maxEventTypeLength), data: kept, lastEventId: clip(lastEventId, b.maxEventIdLength), size, at });
    relay.kept++;
    dataChars += kept.length;
  }

  function reportDropped(stream: RelayStream): void {
    const count = stream.dropped + stream.hookDropped;
    if (count === stream.droppedSent) return;
    stream.droppedSent = count;
    keep({ type: 'dropped', streamId: stream.id, count });
  }

  function readyState(stream: RelayStream, state: ReadyState, at: number): void {
    if (stream.state === state) return;
    stream.state = state;
    keep({ type: 'ready-state', streamId: stream.id, state, at });
  }

  /** A new stream, or null when the id is taken (forged) or the page is past its bound of streams. */
  function admit(id: number, kind: RelayStream['kind']): RelayStream | null {
    if (streams.has(id)) {
      relay.rejected++;
      return null;
    }
    if (admitted >= limits.maxStreams) {
      streamsDropped++;
      return null;
    }
    admitted++;
    const stream: RelayStream = { id, kind, state: 0, closed: false, events: 0, dropped: 0, hookDropped: 0, droppedSent: 0, body: null };
    streams.set(id, stream);
    return stream;
  }

  /** Nothing more will be reported for this stream: its counts go out, its parser goes. */
  function close(stream: RelayStream): void {
    stream.closed = true;
    stream.body = null;
    reportDropped(stream);
  }

  function resolveUrl(url: string): string {
    try {
      return clip(new URL(url, baseUrl()).href, b.maxUrlLength);
    } catch {
      return clip(url, b.maxUrlLength);
    }
  }

  function requestHeaders(headers: readonly HookHeader[]): HookHeader[] {
    return headers.slice(0, b.maxHeaderCount).map(([name, value]) => [clip(name.toLowerCase(), b.maxHeaderNameLength), clip(value, b.maxHeaderValueLength)]);
  }

  function bodyParser(stream: RelayStream): BodyParser {
    const body: BodyParser = {
      // UTF-8 whatever the Content-Type says, one leading BOM stripped (browser-facts.md 5).
      decoder: new TextDecoder(),
      parser: createParser({
        onEvent(parsed) {
          // eventsource-parser reports an event's own `id:` only; the stream's last ID persists.
          // (An `id:` in a block without `data:` is lost with the block: the parser drops it.)
          if (parsed.id !== undefined) body.lastEventId = parsed.id;
          event(stream, parsed.event ?? 'message', parsed.data, body.lastEventId, parsed.data.length, body.at);
        },
        onError(error) {
          if (error.type === 'max-buffer-size-exceeded') body.overflowed = true;
        },
        maxBufferSize: MAX_PARSER_BUFFER,
      }),
      at: 0,
      lastEventId: '',
      overflowed: false,
      skipping: false,
      atLineStart: false,
      afterCR: false,
    };
    return body;
  }

  /** Where the blank line that ends a skipped event ends in `piece`, or -1 (the state carries over). */
  function skipToBlankLine(body: BodyParser, piece: string): number {
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code === LF && body.afterCR) {
        body.afterCR = false;
        continue;
      }
      body.afterCR = code === CR;
      if (code !== LF && code !== CR) body.atLineStart = false;
      else if (body.atLineStart) return i + 1;
      else body.atLineStart = true;
    }
    return -1;
  }

  /** Feeds one piece of body text; an event past the parser's buffer bound is dropped whole. */
  function feed(stream: RelayStream, body: BodyParser, piece: string): void {
    if (body.skipping) {
      const start = skipToBlankLine(body, piece);
      if (start < 0) return;
      body.skipping = false;
      piece = piece.slice(start);
    }
    body.parser.feed(piece);
    if (!body.overflowed) return;
    // The parser handled every complete line of `piece` and gave up on the rest of the event.
    body.overflowed = false;
    body.parser.reset();
    stream.dropped++;
    body.skipping = true;
    const last = piece.charCodeAt(piece.length - 1);
    body.atLineStart = last === LF || last === CR;
    body.afterCR = last === CR;
  }

  /** Handles the item at `head`, or one part of it; true when it is done. */
  function step(item: PageHookWireMessage): boolean {
    // The stream a message is about (creation messages make theirs).
    const stream = item[0] === 'es' || item[0] === 'http' || item[0] === 'failed' ? undefined : streams.get(item[1]);
    switch (item[0]) {
      case 'es': {
        const [, id, at, url, withCredentials] = item;
        if (!admit(id, 'eventsource')) return true;
        keep({ type: 'stream-created', kind: 'eventsource', streamId: id, at, url: clip(url, b.maxUrlLength), withCredentials });
        keep({ type: 'ready-state', streamId: id, state: 0, at });
        return true;
      }
      case 'http':
      case 'failed': {
        const [type, id, requestedAt, at, url, method, credentials, headers] = item;
        const created = admit(id, 'fetch');
        if (!created) return true;
        const responseUrl = type === 'http' ? item[11] : '';
        keep({ type: 'stream-created', kind: 'fetch', streamId: id, at: requestedAt, url: responseUrl === '' ? resolveUrl(url) : clip(responseUrl, b.maxUrlLength), method: clip(method, b.maxMethodLength), credentials, requestHeaders: requestHeaders(headers) });
        if (type === 'failed') {
          keep({ type: 'fetch-failed', streamId: id, at, error: clip(item[8], b.maxErrorLength) });
          close(created);
          return true;
        }
        const [, , , , , , , , status, statusText, contentType, , redirected] = item;
        keep({ type: 'fetch-response', streamId: id, at, status, statusText: clip(statusText, b.maxStatusTextLength), contentType: clip(contentType, b.maxContentTypeLength), redirected });
        // A mis-typed stream's body is not followed (the hook sends none of it).
        if (EVENT_STREAM_TYPE.test(contentType)) created.body = bodyParser(created);
        return true;
      }
      case 'open':
      case 'error': {
        const [type, id, at, state] = item;
        if (stream?.kind !== 'eventsource' || stream.closed) return reject(stream);
        keep({ type, streamId: id, at });
        readyState(stream, state as ReadyState, at);
        return true;
      }
      case 'events': {
        if (stream?.kind !== 'eventsource' || stream.closed) return reject(stream);
        const slots = item[2];
        const end = Math.min(slots.length, Math.max(offset, 0) + EVENTS_PER_STEP * EVENT_SLOTS);
        for (let i = Math.max(offset, 0); i < end; i += EVENT_SLOTS) event(stream, slots[i] as string, slots[i + 1] as string, slots[i + 2] as string, slots[i + 3] as number, slots[i + 4] as number);
        offset = end;
        if (end < slots.length) return false;
        reportDropped(stream);
        return true;
      }
      case 'chunk':
      case 'text': {
        const body = stream?.body;
        if (!stream || !body) return reject(stream);
        if (offset < 0) {
          // Decoded in arrival order: the decoder keeps a character split across two chunks.
          // An XHR's text comes decoded by the browser.
          text = item[0] === 'text' ? item[3] : body.decoder.decode(item[3], { stream: true });
          offset = 0;
        }
        const end = Math.min(text.length, offset + FEED_CHARS);
        body.at = item[2];
        if (end > offset) feed(stream, body, offset === 0 && end === text.length ? text : text.slice(offset, end));
        offset = end;
        if (end < text.length) return false;
        reportDropped(stream);
        return true;
      }
      case 'dropped': {
        // A running total: it only grows.
        if (stream?.kind !== 'eventsource' || item[2] < stream.hookDropped) return reject(stream);
        stream.hookDropped = item[2];
        reportDropped(stream);
        return true;
      }
      case 'close': {
        if (!stream) return reject(stream);
        // Calling close() again, or cancelling after the body ended, changes nothing.
        if (stream.closed) return true;
        close(stream);
        keep({ type: 'closed-by-page', streamId: stream.id, at: item[2] });
        if (stream.kind === 'eventsource') readyState(stream, 2, item[2]);
        return true;
      }
      case 'end': {
        if (stream?.kind !== 'fetch' || stream.closed) return reject(stream);
        // An event without its closing blank line is discarded at the end, as browsers do.
        close(stream);
        keep({ type: 'body-end', streamId: stream.id, at: item[2], reason: item[3] });
        return true;
      }
    }
  }

  /** A valid message its stream contradicts (counted), or one of an unknown stream (ignored). */
  function reject(stream: RelayStream | undefined): true {
    if (stream) relay.rejected++;
    return true;
  }

  function receiveLater(read: () => unknown): void {
    unread.push(read);
    lastArrival = scheduler.now();
    if (waitingSince < 0) waitingSince = lastArrival;
    if (overBounds()) work(0);
    else schedule();
  }

  /** Reads (deserializes) and checks the oldest unread batch, queueing its valid messages. */
  function readBatch(): void {
    const read = unread.shift() as () => unknown;
    let data: unknown;
    try {
      data = read();
    } catch {
      // A batch that cannot be read is a rejected batch, not a stalled relay.
      data = null;
    }
    const batch = parsePageHookWireBatch(data);
    relay.rejected += batch.rejected;
    for (const message of batch.messages) {
      queue.push(message);
      pendingMessages += weight(message);
      pendingBytes += bodySize(message);
    }
  }

  /** Body bytes a message holds (an XHR's text counted two bytes a character, as it is held). */
  function bodySize(message: PageHookWireMessage): number {
    return message[0] === 'chunk' ? message[3].byteLength : message[0] === 'text' ? message[3].length * 2 : 0;
  }

  function weight(message: PageHookWireMessage): number {
    return message[0] === 'events' ? message[2].length / EVENT_SLOTS : 1;
  }

  function overBounds(): boolean {
    return unread.length > limits.maxPendingBatches || pendingMessages > limits.maxPendingMessages || pendingBytes > limits.maxPendingBytes;
  }

  function schedule(): void {
    if (idleRequested) return;
    if (head === queue.length && unread.length === 0) {
      waitingSince = -1;
      return;
    }
    idleRequested = true;
    // What is left of the oldest batch's wait (the queue holds it, so `waitingSince` is set).
    const left = limits.maxDelayMs - (scheduler.now() - waitingSince);
    scheduler.requestIdle(
      (deadline) => {
        idleRequested = false;
        const at = scheduler.now();
        // A batch came less than quietMs ago, and the oldest has time left: more may be coming (the
        // page taking in a burst). A lone batch, such as a stream that failed at once, waits quietMs.
        if (!deadline.didTimeout && at - lastArrival < limits.quietMs && at - waitingSince < limits.maxDelayMs) return schedule();
        // Past the timeout the page is never idle: do one slice anyway, or the queue would only grow.
        work(deadline.didTimeout ? limits.maxSliceMs : Math.min(deadline.timeRemaining(), limits.maxSliceMs));
      },
      // Once that wait is over (catching up), a full one again: a page that is never idle gets one
      // slice per maxDelayMs, as before any waiting.
      left > 0 ? Math.max(1, left) : limits.maxDelayMs,
    );
  }

  /** Works for `budgetMs` (at least one step), and on past it while over a pending bound. */
  function work(budgetMs: number): void {
    const stopAt = scheduler.now() + budgetMs;
    for (;;) {
      if (head < queue.length) {
        const item = queue[head] as PageHookWireMessage;
        if (step(item)) {
          pendingMessages -= weight(item);
          pendingBytes -= bodySize(item);
          head++;
          offset = -1;
          text = '';
        }
      } else if (unread.length > 0) readBatch();
      else break;
      if (scheduler.now() >= stopAt && !overBounds()) break;
    }
    if (streamsDropped !== streamsDroppedSent) {
      streamsDroppedSent = streamsDropped;
      keep({ type: 'streams-dropped', count: streamsDropped });
    }
    // Handled items are let go of now and then, not only when the queue runs dry.
    if (head === queue.length || head > 4096) {
      queue = queue.slice(head);
      head = 0;
    }
    deliver();
    schedule();
  }

  /** Hands the buffer on, when there is a next hop (without one, tests read `messages`). */
  function deliver(): void {
    if (!options.deliver || messages.length === 0) return;
    // Delivered data leaves the buffer, and with it the buffer's data budget.
    dataChars = 0;
    options.deliver(messages.splice(0));
  }

  return relay;
}

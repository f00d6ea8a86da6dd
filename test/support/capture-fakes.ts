import type { CapturePort, MessageSender } from '../../lib/capture/background';
import type { SessionArea } from '../../lib/capture/capture-store';
import type { BackgroundToDevtools, DevtoolsToBackground } from '../../lib/capture/protocol';
import type { PortLike } from '../../lib/capture/subscription';
import type { RawDetails, RawEvent, WebRequestApi } from '../../lib/capture/web-request';

/**
 * Fakes of the extension APIs the capture pipeline reaches through its own small interfaces
 * (WebRequestApi, SessionArea, PortLike, CapturePort). They record what the code under test asked
 * of them and let a test fire events; they decide nothing a browser decides.
 */

// ---- webRequest ----------------------------------------------------------------------------------

export interface Registration {
  readonly callback: (details: RawDetails) => void;
  readonly filter: { urls: string[]; types?: string[] };
  /** Every argument after the filter, as passed (an explicit `undefined` shows up here). */
  readonly rest: readonly unknown[];
}

export class FakeRawEvent implements RawEvent {
  readonly registrations: Registration[] = [];

  addListener(callback: (details: RawDetails) => void, filter: { urls: string[]; types?: string[] }, ...rest: unknown[]): void {
    this.registrations.push({ callback, filter, rest });
  }

  fire(details: RawDetails): void {
    for (const registration of this.registrations) registration.callback(details);
  }
}

export type WebRequestEventName = 'onBeforeRequest' | 'onSendHeaders' | 'onHeadersReceived' | 'onBeforeRedirect' | 'onCompleted' | 'onErrorOccurred';

export type FakeWebRequest = WebRequestApi & { readonly [name in WebRequestEventName]: FakeRawEvent };

/** Chromium offers `extraHeaders` through `OnSendHeadersOptions`; Firefox has no such object. */
export function fakeWebRequest(browser: 'chromium' | 'firefox' | 'chromium-without-extra-headers' = 'chromium'): FakeWebRequest {
  const events = {
    onBeforeRequest: new FakeRawEvent(),
    onSendHeaders: new FakeRawEvent(),
    onHeadersReceived: new FakeRawEvent(),
    onBeforeRedirect: new FakeRawEvent(),
    onCompleted: new FakeRawEvent(),
    onErrorOccurred: new FakeRawEvent(),
  };
  if (browser === 'chromium') return { ...events, OnSendHeadersOptions: { EXTRA_HEADERS: 'extraHeaders' } };
  if (browser === 'chromium-without-extra-headers') return { ...events, OnSendHeadersOptions: {} };
  return events;
}

/** Details of one request as the browser reports them; each call overrides a few fields. */
export function details(fields: Partial<RawDetails> = {}): RawDetails {
  return { requestId: '100', url: 'https://api.test/events', method: 'GET', tabId: 7, frameId: 0, type: 'xmlhttprequest', timeStamp: 1000, ...fields };
}

// ---- storage.session -----------------------------------------------------------------------------

interface HeldSet {
  readonly items: Record<string, unknown>;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * An in-memory `storage.session`. Values are structured-cloned in and out, as the real area does.
 * Writes take effect in call order (the real area serializes its operations); with `hold`, a
 * write's promise stays pending until the test settles it, to observe what happens meanwhile.
 * `quotaExceeded` makes `set` reject and store nothing, as an over-quota write does.
 */
export class MemorySession implements SessionArea {
  readonly items = new Map<string, unknown>();
  readonly sets: Record<string, unknown>[] = [];
  readonly removes: string[][] = [];
  readonly held: HeldSet[] = [];
  hold = false;
  quotaExceeded = false;
  private setWaiters: (() => void)[] = [];

  get(keys: null): Promise<Record<string, unknown>> {
    void keys;
    return Promise.resolve(structuredClone(Object.fromEntries(this.items)));
  }

  set(items: Record<string, unknown>): Promise<void> {
    this.sets.push(structuredClone(items));
    const waiters = this.setWaiters;
    this.setWaiters = [];
    for (const wake of waiters) wake();
    if (this.quotaExceeded) return Promise.reject(new Error('Resource::kQuotaBytes quota exceeded'));
    for (const [key, value] of Object.entries(items)) this.items.set(key, structuredClone(value));
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve, reject) => this.held.push({ items, resolve, reject }));
  }

  remove(keys: string[]): Promise<void> {
    this.removes.push([...keys]);
    for (const key of keys) this.items.delete(key);
    return Promise.resolve();
  }

  /** Resolves at the next `set` call. */
  nextSet(): Promise<void> {
    return new Promise((resolve) => this.setWaiters.push(resolve));
  }

  /** Resolves every held write. */
  release(): void {
    for (const write of this.held.splice(0)) write.resolve();
  }

  keys(): string[] {
    return [...this.items.keys()].sort();
  }
}

// ---- ports ---------------------------------------------------------------------------------------

class FakeEvent<Args extends unknown[]> {
  private readonly callbacks: ((...args: Args) => void)[] = [];
  addListener(callback: (...args: Args) => void): void {
    this.callbacks.push(callback);
  }
  fire(...args: Args): void {
    for (const callback of [...this.callbacks]) callback(...args);
  }
  get count(): number {
    return this.callbacks.length;
  }
}

/** The DevTools end of a capture port (what `runtime.connect` returns). */
export class FakeDevtoolsPort implements PortLike {
  readonly posted: DevtoolsToBackground[] = [];
  readonly onMessage = new FakeEvent<[unknown]>();
  readonly onDisconnect = new FakeEvent<[]>();
  disconnected = false;

  constructor(readonly name: string) {}

  postMessage(message: DevtoolsToBackground): void {
    this.posted.push(message);
  }

  disconnect(): void {
    // As in the browsers: disconnecting one's own end does not fire one's own onDisconnect.
    this.disconnected = true;
  }
}

/** The background end of a capture port (what `runtime.onConnect` hands the listener). */
export class FakeBackgroundPort implements CapturePort {
  readonly received: BackgroundToDevtools[] = [];
  readonly onMessage = new FakeEvent<[unknown]>();
  readonly onDisconnect = new FakeEvent<[]>();
  /** A disconnected port throws on postMessage, as Chromium's does. */
  disconnected = false;

  constructor(readonly name: string) {}

  postMessage(message: BackgroundToDevtools): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.received.push(structuredClone(message));
  }

  /** The DevTools side sends a message. */
  send(message: unknown): void {
    this.onMessage.fire(message);
  }

  /** The DevTools side goes away. */
  disconnect(): void {
    this.disconnected = true;
    this.onDisconnect.fire();
  }
}

export { FakeEvent };

/** `runtime.onMessage` as the background sees it: (message, sender). */
export class FakeMessageEvent extends FakeEvent<[unknown, MessageSender]> {}

/** A promise whose settling the test controls. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

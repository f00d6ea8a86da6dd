import { reduceHarEntry, type HarEntrySummary } from './har-entry';
import type { DevtoolsToBackground } from './protocol';

/**
 * The DevTools page's adapter over `devtools.network`: every finished request that can belong to
 * an event stream is reduced (har-entry.ts) and sent to the background, which files it in the
 * inspected tab's log. `getHAR()` at start-up adds the streams that are still open (Chromium
 * fills their `_eventSourceMessages` live). Where the entry carries no messages (Firefox), the
 * body from `getContent()` is kept so the events can be read from it.
 *
 * Chromium hands every finished request's whole HAR entry to the listener, with every message of an
 * EventSource (50,000 after 10 s at 5,000 a second); taking that message in costs Chromium's
 * front-end client 25-40 ms on the thread the panel shares with this page. The listener itself only
 * queues the entry: reducing it and sending it to the background (serialized by the browser) run in
 * a task of their own, so the two costs never add up to one long task.
 *
 * Chromium's part alone grows with the stream (about 76 ms for 100,000 messages) and happens before
 * any listener runs, so while the SSE Inspector panel is shown the adapter does not listen at all
 * (`pause`, called by the DevTools page in Chromium only: Firefox's entries carry no messages): the
 * panel is fed by webRequest and the page hook meanwhile. When the panel is hidden
 * (`resume`) it catches up with one `getHAR()`, on a thread nobody is looking at, forwarding only
 * the entries it has not forwarded yet, and listens again.
 */

export interface NetworkRequest {
  /** The HAR entry fields, as devtools.network gives them. */
  readonly [field: string]: unknown;
  /** Chromium calls back; Firefox returns a promise of [content, encoding] (and may call back too). */
  getContent(callback?: (content: string | null, encoding: string) => void): unknown;
}

export interface DevtoolsNetworkApi {
  readonly onRequestFinished: { addListener(callback: (request: NetworkRequest) => void): void; removeListener(callback: (request: NetworkRequest) => void): void };
  /** Through webextension-polyfill in Chromium, and natively in Firefox: a promise. */
  getHAR(): Promise<{ entries?: unknown[] }>;
}

/** getContent() on this many bodies at most per DevTools session: bodies can be large. */
const MAX_CONTENT_FETCHES = 200;

/** Runs a task later, in a task of its own. */
export type Defer = (task: () => void) => void;

const nextTask: Defer = (task) => void setTimeout(task, 0);

/** Entries remembered as forwarded, so a catch-up does not send them twice; the oldest are forgotten. */
const MAX_FORWARDED_KEYS = 5_000;

export interface DevtoolsNetworkTap {
  /** The panel is shown: stop taking finished requests in. */
  pause(): void;
  /** The panel is hidden: forward what finished meanwhile (one getHAR()), then listen again. */
  resume(): void;
}

/** One request's entry, as both onRequestFinished and getHAR() give it; a stream still open has its time so far. */
const keyOf = (entry: HarEntrySummary): string => `${entry.startedDateTime} ${entry.time} ${entry.request.method} ${entry.request.url} ${entry.response.status}`;

export function forwardDevtoolsNetwork(network: DevtoolsNetworkApi, tabId: number, send: (message: DevtoolsToBackground) => void, defer: Defer = nextTask): DevtoolsNetworkTap {
  let contentFetches = 0;
  const forwarded = new Set<string>();
  const forward = (entries: HarEntrySummary[]): void => {
    const fresh: HarEntrySummary[] = [];
    for (const entry of entries) {
      const key = keyOf(entry);
      if (forwarded.has(key)) continue;
      forwarded.add(key);
      if (forwarded.size > MAX_FORWARDED_KEYS) forwarded.delete(forwarded.values().next().value as string);
      fresh.push(entry);
    }
    if (fresh.length > 0) send({ type: 'har-entries', tabId, entries: fresh });
  };
  const onRequest = (request: NetworkRequest): void => defer(() => onFinished(request));
  let listening = true;
  const onFinished = (request: NetworkRequest): void => {
    const summary = reduceHarEntry(request);
    if (!summary) return;
    const needsBody = summary._eventSourceMessages === undefined && summary.request.method !== 'OPTIONS' && summary.response.status >= 200 && summary.response.status < 300;
    if (!needsBody || contentFetches >= MAX_CONTENT_FETCHES) {
      forward([summary]);
      return;
    }
    contentFetches++;
    let done = false;
    const withBody = (content: unknown): void => {
      if (done) return;
      done = true;
      forward([reduceHarEntry(request, typeof content === 'string' ? content : null) ?? summary]);
    };
    const result = request.getContent((content) => withBody(content));
    if (result instanceof Promise) result.then((value: unknown) => withBody(Array.isArray(value) ? value[0] : value), () => withBody(null));
  };
  /** Forwards the entries DevTools holds now that can belong to a stream (the first 1,000). */
  const catchUp = (): void =>
    void network.getHAR().then(
      (har) => {
        const entries: HarEntrySummary[] = [];
        for (const entry of har.entries ?? []) {
          const summary = reduceHarEntry(entry);
          if (summary) entries.push(summary);
        }
        forward(entries.slice(0, 1000));
      },
      () => undefined,
    );
  network.onRequestFinished.addListener(onRequest);
  catchUp();
  return {
    pause() {
      if (listening) network.onRequestFinished.removeListener(onRequest);
      listening = false;
    },
    resume() {
      if (listening) return;
      listening = true;
      network.onRequestFinished.addListener(onRequest);
      catchUp();
    },
  };
}

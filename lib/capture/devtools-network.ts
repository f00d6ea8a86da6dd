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
 */

export interface NetworkRequest {
  /** The HAR entry fields, as devtools.network gives them. */
  readonly [field: string]: unknown;
  /** Chromium calls back; Firefox returns a promise of [content, encoding] (and may call back too). */
  getContent(callback?: (content: string | null, encoding: string) => void): unknown;
}

export interface DevtoolsNetworkApi {
  readonly onRequestFinished: { addListener(callback: (request: NetworkRequest) => void): void };
  /** Through webextension-polyfill in Chromium, and natively in Firefox: a promise. */
  getHAR(): Promise<{ entries?: unknown[] }>;
}

/** getContent() on this many bodies at most per DevTools session: bodies can be large. */
const MAX_CONTENT_FETCHES = 200;

/** Runs a task later, in a task of its own. */
export type Defer = (task: () => void) => void;

const nextTask: Defer = (task) => void setTimeout(task, 0);

export function forwardDevtoolsNetwork(network: DevtoolsNetworkApi, tabId: number, send: (message: DevtoolsToBackground) => void, defer: Defer = nextTask): void {
  let contentFetches = 0;
  const forward = (entries: HarEntrySummary[]): void => {
    if (entries.length > 0) send({ type: 'har-entries', tabId, entries });
  };
  network.onRequestFinished.addListener((request) => defer(() => onFinished(request)));
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
}

import { CaptureStore, type SessionArea } from './capture-store';
import { CAPTURE_PORT, parseDevtoolsMessage, parseRelayMessage, type BackgroundToDevtools, type CaptureObservation, type UnnumberedObservation } from './protocol';
import { tapWebRequest, type WebRequestApi } from './web-request';

/**
 * The background's capture service, over the small slices of the extension APIs it needs (so
 * unit tests drive it with fakes). Wires three sources into the per-tab store:
 * - webRequest, for every tab from page load, whether DevTools is open or not;
 * - the page hook, through the relay content script (tab and frame from `sender`, never from
 *   the message);
 * - devtools.network HAR entries forwarded by the DevTools page;
 * and serves each tab's log to the DevTools page/panel over a port, backlog first, then live.
 */

export interface MessageSender {
  readonly tab?: { readonly id?: number };
  readonly frameId?: number;
  /** Set for extension pages (DevTools page, panel); content scripts have `tab`. */
  readonly url?: string;
}

export interface CapturePort {
  readonly name: string;
  postMessage(message: BackgroundToDevtools): void;
  readonly onMessage: { addListener(callback: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(callback: () => void): void };
}

export interface BackgroundApis {
  readonly webRequest: WebRequestApi;
  readonly session: SessionArea;
  readonly onMessage: { addListener(callback: (message: unknown, sender: MessageSender) => void): void };
  readonly onConnect: { addListener(callback: (port: CapturePort) => void): void };
  readonly onTabRemoved: { addListener(callback: (tabId: number) => void): void };
  /** The extension's own origin: messages from other extension pages are not ours to trust. */
  readonly extensionOrigin: string;
}

/**
 * Observations per port message. A message is parsed whole in one task of the panel, so a backlog
 * (up to 60,000 observations when the panel opens on a busy tab) or a flush that fell behind would
 * be one long task there; in pieces, the panel stays responsive between them.
 */
export const OBSERVATIONS_PER_MESSAGE = 250;

/** `observations` (numbered from `firstSeq`) as port messages of at most OBSERVATIONS_PER_MESSAGE. */
export function observationMessages(tabId: number, firstSeq: number, observations: readonly CaptureObservation[]): BackgroundToDevtools[] {
  if (observations.length <= OBSERVATIONS_PER_MESSAGE) return [{ type: 'observations', tabId, firstSeq, observations }];
  const messages: BackgroundToDevtools[] = [];
  for (let from = 0; from < observations.length; from += OBSERVATIONS_PER_MESSAGE) {
    const piece = observations.slice(from, from + OBSERVATIONS_PER_MESSAGE);
    messages.push({ type: 'observations', tabId, firstSeq: (piece[0] as CaptureObservation).seq, observations: piece });
  }
  return messages;
}

export interface CaptureBackground {
  readonly store: CaptureStore;
  /** Resolves once the log of a previous worker instance is restored and queued input applied. */
  readonly ready: Promise<void>;
}

export function startCaptureBackground(apis: BackgroundApis): CaptureBackground {
  const subscribers = new Map<number, Set<CapturePort>>();
  const send = (tabId: number, message: BackgroundToDevtools): void => {
    for (const port of subscribers.get(tabId) ?? []) {
      try {
        port.postMessage(message);
      } catch {
        subscribers.get(tabId)?.delete(port);
      }
    }
  };
  const store = new CaptureStore(apis.session, {
    appended: (tabId, observations: readonly CaptureObservation[]) => {
      const first = observations[0];
      if (first) for (const message of observationMessages(tabId, first.seq, observations)) send(tabId, message);
    },
    cleared: (tabId, reason) => send(tabId, { type: 'cleared', tabId, reason }),
    limitsChanged: (tabId) => send(tabId, { type: 'state', tabId, ...store.state(tabId) }),
  });

  // Events that arrive while the previous worker's log is read back wait for it, in order.
  let queue: (() => void)[] | null = [];
  const whenReady = (work: () => void): void => {
    if (queue) queue.push(work);
    else work();
  };
  const ready = store
    .restore()
    .catch(() => undefined)
    .then(() => {
      const waiting = queue ?? [];
      queue = null;
      for (const work of waiting) work();
    });

  const append = (tabId: number, observation: UnnumberedObservation): void => whenReady(() => store.append(tabId, observation));

  // Registered synchronously at start-up: an MV3 worker is woken for these events only if the
  // listeners exist when its script first runs.
  tapWebRequest(
    apis.webRequest,
    ({ tabId, frameId, observation }) => append(tabId, { source: 'web-request', frameId, observation }),
    (tabId, _url, at) => whenReady(() => store.clear(tabId, 'navigated', at)),
  );

  apis.onMessage.addListener((raw, sender) => {
    const tabId = sender.tab?.id;
    if (tabId !== undefined) {
      // From a content script: the relay of one document of `tabId`.
      const message = parseRelayMessage(raw);
      if (!message) return;
      const frameId = sender.frameId ?? 0;
      if (message.type === 'hook-batch') for (const hookMessage of message.messages) append(tabId, { source: 'page-hook', frameId, document: message.document, message: hookMessage });
      else append(tabId, { source: 'relay', frameId, document: message.document, rejected: message.rejected, overflowed: message.overflowed });
      return;
    }
    if (!sender.url?.startsWith(apis.extensionOrigin)) return;
    const message = parseDevtoolsMessage(raw);
    if (!message) return;
    whenReady(() => {
      switch (message.type) {
        case 'har-entries':
          for (const entry of message.entries) store.append(message.tabId, { source: 'devtools-network', entry });
          return;
        case 'clear':
          store.clear(message.tabId, 'cleared');
          return;
        case 'set-preserve-log':
          store.setPreserveLog(message.tabId, message.preserve);
          send(message.tabId, { type: 'state', tabId: message.tabId, ...store.state(message.tabId) });
          return;
        case 'subscribe':
          return; // only over a port
      }
    });
  });

  apis.onConnect.addListener((port) => {
    if (port.name !== CAPTURE_PORT) return;
    let subscribedTab: number | null = null;
    port.onMessage.addListener((raw) => {
      const message = parseDevtoolsMessage(raw);
      if (message?.type !== 'subscribe' || subscribedTab !== null) return;
      const tabId = message.tabId;
      subscribedTab = tabId;
      whenReady(() => {
        let ports = subscribers.get(tabId);
        if (!ports) subscribers.set(tabId, (ports = new Set()));
        ports.add(port);
        const backlog = store.since(tabId, message.since);
        port.postMessage({ type: 'state', tabId, ...store.state(tabId) });
        for (const piece of observationMessages(tabId, backlog.firstSeq, backlog.observations)) port.postMessage(piece);
      });
    });
    port.onDisconnect.addListener(() => {
      if (subscribedTab !== null) subscribers.get(subscribedTab)?.delete(port);
    });
  });

  apis.onTabRemoved.addListener((tabId) =>
    whenReady(() => {
      store.removeTab(tabId);
      subscribers.delete(tabId);
    }),
  );

  return { store, ready };
}

import { CAPTURE_PORT, type BackgroundToDevtools, type CaptureObservation, type DevtoolsToBackground } from './protocol';

/**
 * The DevTools side of the capture port: subscribes to one tab's log and keeps it whole across
 * MV3 worker restarts. When the worker stops, the port disconnects; the subscription reconnects
 * and asks for everything after the last sequence number it holds, so nothing is seen twice and
 * nothing is missed (the store announces only what it has persisted).
 */

export interface PortLike {
  postMessage(message: DevtoolsToBackground): void;
  readonly onMessage: { addListener(callback: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(callback: () => void): void };
  disconnect(): void;
}

export interface SubscriptionListener {
  /** New observations, in order, none seen before. */
  observations(observations: readonly CaptureObservation[]): void;
  /** The log was cleared (by the user or a navigation): start over. */
  reset(reason: 'cleared' | 'navigated'): void;
  state(state: { preserveLog: boolean; dropped: number; unpersisted: number }): void;
}

export interface CaptureSubscription {
  /** Sequence number of the last observation received. */
  readonly lastSeq: number;
  close(): void;
}

export function subscribeToCapture(
  tabId: number,
  connect: (name: string) => PortLike,
  listener: SubscriptionListener,
  retryLater: (callback: () => void, ms: number) => void = (callback, ms) => void setTimeout(callback, ms),
): CaptureSubscription {
  let lastSeq = 0;
  // Whether the listener holds observations since its last reset: only then does a gap need one.
  let holding = false;
  let closed = false;
  let port: PortLike | null = null;

  const receive = (raw: unknown): void => {
    // The background is the extension's own; the shape is checked all the same, cheaply.
    if (typeof raw !== 'object' || raw === null) return;
    const message = raw as BackgroundToDevtools;
    if (message.tabId !== tabId) return;
    switch (message.type) {
      case 'observations': {
        // A gap means the log was cleared or trimmed while we were away: start over from here.
        if (message.firstSeq > lastSeq + 1 && holding) {
          holding = false;
          listener.reset('cleared');
        }
        const fresh = message.observations.filter((o) => o.seq > lastSeq);
        const last = fresh.at(-1);
        if (last) lastSeq = last.seq;
        if (fresh.length > 0) {
          holding = true;
          listener.observations(fresh);
        }
        return;
      }
      case 'cleared':
        holding = false;
        listener.reset(message.reason);
        return;
      case 'state':
        listener.state({ preserveLog: message.preserveLog, dropped: message.dropped, unpersisted: message.unpersisted });
        return;
    }
  };

  const open = (): void => {
    if (closed) return;
    const current = connect(CAPTURE_PORT);
    port = current;
    current.onMessage.addListener(receive);
    current.onDisconnect.addListener(() => {
      if (closed || port !== current) return;
      port = null;
      // The worker stopped (or is restarting): come back for what we have not seen yet.
      retryLater(open, 100);
    });
    current.postMessage({ type: 'subscribe', tabId, since: lastSeq });
  };
  open();

  return {
    get lastSeq() {
      return lastSeq;
    },
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}

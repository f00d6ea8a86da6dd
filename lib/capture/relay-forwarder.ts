import { PAGE_HOOK_BOUNDS, type PageHookMessage, type RelayMessage } from './protocol';

/**
 * The relay's second half: hands validated page-hook messages to the background, in order, one
 * `runtime.sendMessage` in flight at a time (what arrives meanwhile joins the next batch). A
 * failed send (the MV3 worker was stopped and is starting again, or the extension was reloaded)
 * keeps the batch and tries again later, so a worker restart loses nothing; past `maxPending`
 * messages the newest are dropped and reported as `overflowed`.
 */

export interface ForwarderOptions {
  readonly send: (message: RelayMessage) => Promise<unknown>;
  /** Schedules a retry after a failed send. */
  readonly retryLater: (callback: () => void, ms: number) => void;
  readonly document: string;
  readonly maxPending?: number;
}

export interface RelayForwarder {
  push(messages: readonly PageHookMessage[]): void;
  /** Batches the relay refused (malformed): reported to the background as a count. */
  rejected(count: number): void;
}

const RETRY_MS = [50, 200, 1000, 5000] as const;

export function createRelayForwarder(options: ForwarderOptions): RelayForwarder {
  const maxPending = options.maxPending ?? 20_000;
  let pending: PageHookMessage[] = [];
  let rejected = 0;
  let overflowed = 0;
  let inFlight = false;
  let failures = 0;

  const next = (): RelayMessage | null => {
    if (pending.length > 0) {
      const messages = pending.slice(0, PAGE_HOOK_BOUNDS.maxBatchLength);
      return { type: 'hook-batch', document: options.document, messages };
    }
    if (rejected > 0 || overflowed > 0) return { type: 'hook-rejected', document: options.document, rejected, overflowed };
    return null;
  };

  const pump = (): void => {
    if (inFlight) return;
    const message = next();
    if (!message) return;
    inFlight = true;
    // The browser's own sendMessage throws at once in a page whose extension context is gone (the
    // extension was updated or removed): a failure like any other, never a stuck `inFlight`.
    let sent: Promise<unknown>;
    try {
      sent = options.send(message);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      () => {
        inFlight = false;
        failures = 0;
        // Only now is the batch known to be with the background.
        if (message.type === 'hook-batch') pending = pending.slice(message.messages.length);
        else {
          rejected -= message.rejected;
          overflowed -= message.overflowed;
        }
        pump();
      },
      () => {
        inFlight = false;
        const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] as number;
        failures++;
        options.retryLater(pump, delay);
      },
    );
  };

  return {
    push(messages) {
      const room = maxPending - pending.length;
      if (messages.length > room) overflowed += messages.length - Math.max(0, room);
      if (room > 0) pending = pending.concat(messages.length > room ? messages.slice(0, room) : messages);
      pump();
    },
    rejected(count) {
      if (count <= 0) return;
      rejected += count;
      pump();
    },
  };
}

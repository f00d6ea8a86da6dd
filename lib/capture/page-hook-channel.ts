import { installPageHook, type PageHookWindow } from './page-hook';
import { CHANNEL_EVENTS } from './protocol';

/**
 * The private channel between the page hook (MAIN world) and the relay (isolated world).
 *
 * The relay creates a MessageChannel and hands one port to the hook in a synchronous DOM event:
 * a `MessageEvent` carrying the port, dispatched on `window`. Both content scripts run at
 * document_start, before any page script, in either order:
 * - relay first: its offer finds no taker, so it waits for the hook's `hook-ready` event;
 * - hook first: it listens for the offer, and the relay's first offer is taken at once.
 * The hook takes the port with `preventDefault()`, which the relay reads synchronously from
 * `dispatchEvent`'s result and stops listening. By the time the page's first script runs,
 * neither side listens any more, the hook's port lives only in its closure, and nothing is ever
 * broadcast (no `window.postMessage`, which every page script and frame could read).
 *
 * What this does not protect against, and why that is acceptable:
 * - A page can still forge what its own hook reports: it owns its world (it can patch
 *   prototypes the hook reads, such as MessageEvent's `data` getter, or open real streams to
 *   say anything). The relay therefore validates and bounds every message, and the background
 *   scopes them to the sender's tab and frame: a page can only misreport itself.
 * - Where the hook did not run (no MAIN-world injection in that frame), the relay keeps
 *   listening, and a page script can take the port by answering `hook-ready` itself. It can
 *   then feed the same validated, bounded, self-scoped messages, nothing more.
 * - Evasion: a page can use an EventSource or fetch from a frame the hook never ran in (an
 *   about:blank frame created before injection) or keep a reference from before the hook. The
 *   hook observes; it does not police.
 * A shared secret would not help: the hook's code, and anything it embeds, runs in the page's
 * world and is readable by the extension's every user.
 */

/** MAIN world: takes the relay's port (now or when the relay arrives) and installs the hook. */
export function connectPageHook(win: PageHookWindow & Window): void {
  const apply = Reflect.apply;
  const post = MessagePort.prototype.postMessage;
  const removeListener = win.removeEventListener;
  let port: MessagePort | null = null;
  const take = (event: Event): void => {
    const offered = (event as MessageEvent).ports[0];
    if (port || !offered) return;
    port = offered;
    event.preventDefault();
    event.stopImmediatePropagation();
    apply(removeListener, win, [CHANNEL_EVENTS.port, take]);
  };
  win.addEventListener(CHANNEL_EVENTS.port, take);
  if (!port) win.dispatchEvent(new Event(CHANNEL_EVENTS.hookReady));
  // Without a relay (this frame got no isolated script) the hook still runs and sends nothing.
  installPageHook(win, (batch, transfer) => {
    if (port) apply(post, port, [batch, transfer]);
  });
}

/**
 * Isolated world: offers the hook its port. `receive` gets every posted batch as a function that
 * reads it: reading `data` is what deserializes a batch, so the relay does it when it gets to it.
 */
export function offerPageHookChannel(win: Window, receive: (read: () => unknown) => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => receive(() => event.data);
  const offer = (): boolean => !win.dispatchEvent(new MessageEvent(CHANNEL_EVENTS.port, { ports: [channel.port2], cancelable: true }));
  if (offer()) return;
  const onReady = (): void => {
    if (offer()) win.removeEventListener(CHANNEL_EVENTS.hookReady, onReady);
  };
  win.addEventListener(CHANNEL_EVENTS.hookReady, onReady);
}

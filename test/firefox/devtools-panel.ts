import { until } from '../capture/harness';
import type { Marionette } from './marionette';

/**
 * An extension's DevTools panel in real Firefox, reached over Marionette
 * (../shared/reference/real-browser-testing.md): in the chrome context, the DevTools loader gives
 * `gDevTools`; `showToolboxForTab` opens the toolbox; the extension's tool is one of
 * `getAdditionalTools()`; its page lives in a remote `<browser>` (the extension process) inside
 * `toolbox-panel-iframe-<id>`. Chrome code cannot touch another process's DOM, so a frame script
 * loaded into that `<browser>` answers a few fixed requests (read attributes, click, computed
 * style): no code travels to the panel as text.
 */
export interface PanelElement {
  readonly attributes: Readonly<Record<string, string | null>>;
  readonly text: string;
}

type PanelRequest =
  | { readonly op: 'read'; readonly selector: string; readonly attributes: readonly string[] }
  | { readonly op: 'click'; readonly selector: string; readonly attribute: string; readonly value: string }
  | { readonly op: 'style'; readonly selector: string; readonly property: string };

// Runs in the panel's process with the panel window as `content`.
const FRAME_SCRIPT = `
addMessageListener('sse-inspector-test:request', ({ data }) => {
  let reply;
  try {
    const nodes = Array.from(content.document.querySelectorAll(data.selector));
    if (data.op === 'read') {
      reply = { value: nodes.map((node) => {
        const attributes = {};
        for (const name of data.attributes) attributes[name] = node.getAttribute(name);
        return { attributes, text: node.textContent };
      }) };
    } else if (data.op === 'click') {
      const node = nodes.find((candidate) => candidate.getAttribute(data.attribute) === data.value);
      if (node) node.click();
      reply = { value: Boolean(node) };
    } else if (data.op === 'style') {
      reply = { value: nodes.map((node) => content.getComputedStyle(node).getPropertyValue(data.property)) };
    } else {
      reply = { error: 'unknown request ' + data.op };
    }
  } catch (error) {
    reply = { error: String(error) };
  }
  sendAsyncMessage('sse-inspector-test:reply', Object.assign({ id: data.id }, reply));
});`;

// Chrome-context scripts. State lives on the browser window: each script is evaluated afresh.
const LOADER = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
const { gDevTools } = require('devtools/client/framework/devtools');`;

const SHOW_TOOLBOX = `${LOADER}
const [pageUrl] = arguments;
const done = arguments[arguments.length - 1];
const tab = gBrowser.tabs.find((candidate) => candidate.linkedBrowser.currentURI.spec === pageUrl);
if (!tab) return done({ error: 'no tab at ' + pageUrl });
gBrowser.selectedTab = tab;
gDevTools.showToolboxForTab(tab).then((toolbox) => {
  window.sseInspectorTest = { toolbox, browser: null, nextId: 1 };
  done({ hostType: toolbox.hostType });
}, (error) => done({ error: String(error) }));`;

const SELECT_TOOL = `const [title] = arguments;
const done = arguments[arguments.length - 1];
const { toolbox } = window.sseInspectorTest;
// The extension's DevTools page registers the tool once it has run: absent until then.
const tool = toolbox.getAdditionalTools().find((candidate) => candidate.label === title);
if (!tool) return done(null);
toolbox.selectTool(tool.id).then(() => done(tool.id), (error) => done({ error: String(error) }));`;

const ATTACH_PANEL = `const [toolId, frameScript] = arguments;
const state = window.sseInspectorTest;
const iframe = state.toolbox.doc.getElementById('toolbox-panel-iframe-' + toolId);
const browser = iframe && iframe.contentDocument && iframe.contentDocument.querySelector('browser');
// The <browser> starts at about:blank in the parent process, then moves to the extension process:
// a frame script loaded before that move would be left behind with the old frame loader.
if (!browser || !browser.currentURI || !browser.currentURI.spec.startsWith('moz-extension:')) return null;
if (state.browser !== browser) {
  browser.messageManager.loadFrameScript('data:,' + encodeURIComponent(frameScript), false);
  state.browser = browser;
}
return browser.currentURI.spec;`;

const REQUEST = `const [request] = arguments;
const done = arguments[arguments.length - 1];
const state = window.sseInspectorTest;
const manager = state.browser.messageManager;
const id = state.nextId++;
const listener = ({ data }) => {
  if (data.id !== id) return;
  manager.removeMessageListener('sse-inspector-test:reply', listener);
  done(data);
};
manager.addMessageListener('sse-inspector-test:reply', listener);
manager.sendAsyncMessage('sse-inspector-test:request', Object.assign({ id }, request));`;

const SET_THEME = `const [theme] = arguments;
Services.prefs.setCharPref('devtools.theme', theme);
return Services.prefs.getCharPref('devtools.theme');`;

/** Switches DevTools to a theme as its settings panel does (the `devtools.theme` pref); open panels are told. */
export function setDevtoolsTheme(marionette: Marionette, theme: 'light' | 'dark'): Promise<string> {
  return marionette.inChrome(() => marionette.execute<string>(SET_THEME, [theme]));
}

function unwrap<T>(reply: { value?: T; error?: string } | null): T {
  if (!reply || reply.error !== undefined) throw new Error(`Firefox DevTools: ${reply?.error ?? 'no reply'}`);
  return reply.value as T;
}

export class FirefoxDevtoolsPanel {
  private constructor(
    private readonly marionette: Marionette,
    /** The panel page's URL (moz-extension://…). */
    readonly url: string,
  ) {}

  /**
   * Opens DevTools on the tab showing `pageUrl` (Marionette's window handles are its own ids, not
   * the browser's) and selects the tool titled `title`.
   */
  static async open(marionette: Marionette, pageUrl: string, title: string): Promise<FirefoxDevtoolsPanel> {
    const shown = await marionette.inChrome(() => marionette.executeAsync<{ hostType?: string; error?: string }>(SHOW_TOOLBOX, [pageUrl], 30_000));
    if (shown.error) throw new Error(`Firefox DevTools: ${shown.error}`);
    const toolId = await until(
      () => marionette.inChrome(() => marionette.executeAsync<string | { error: string } | null>(SELECT_TOOL, [title])),
      `the ${title} tool in the toolbox`,
    );
    if (typeof toolId !== 'string') throw new Error(`Firefox DevTools: ${toolId.error}`);
    const url = await until(() => marionette.inChrome(() => marionette.execute<string | null>(ATTACH_PANEL, [toolId, FRAME_SCRIPT])), `the ${title} panel page`);
    return new FirefoxDevtoolsPanel(marionette, url);
  }

  private request<T>(request: PanelRequest): Promise<T> {
    return this.marionette.inChrome(async () => unwrap<T>(await this.marionette.executeAsync(REQUEST, [request], 10_000)));
  }

  /** Every element matching `selector`, with the named attributes (null when absent) and its text. */
  read(selector: string, attributes: readonly string[]): Promise<PanelElement[]> {
    return this.request({ op: 'read', selector, attributes });
  }

  /** Clicks the first element matching `selector` whose `attribute` is `value`; false if none. */
  click(selector: string, attribute: string, value: string): Promise<boolean> {
    return this.request({ op: 'click', selector, attribute, value });
  }

  /** The computed value of a CSS property on every element matching `selector`. */
  style(selector: string, property: string): Promise<string[]> {
    return this.request({ op: 'style', selector, property });
  }

  /** The browser window with DevTools open, as a PNG. */
  screenshot(): Promise<Buffer> {
    return this.marionette.inChrome(() => this.marionette.screenshot());
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREFOX_PATH, requireExecutable } from '../browser-truth/browsers';

/**
 * A small Marionette client for headless Firefox ESR (../shared/reference/real-browser-testing.md):
 * WebDriver BiDi can install an add-on but cannot open its moz-extension:// pages, nor reach
 * DevTools; Marionette can do both. Messages are `<length>:<json>`; commands are
 * `[0, id, name, params]`, replies `[1, id, error, result]`.
 */
export class MarionetteError extends Error {
  override readonly name = 'MarionetteError';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private greeted: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    let greet: () => void = () => undefined;
    this.greeted = new Promise((resolve) => (greet = resolve));
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const colon = this.buffer.indexOf(':');
        if (colon < 0) return;
        const length = Number(this.buffer.subarray(0, colon).toString());
        if (this.buffer.length < colon + 1 + length) return;
        const body = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8')) as unknown;
        this.buffer = this.buffer.subarray(colon + 1 + length);
        if (first) {
          first = false;
          greet();
          continue;
        }
        const [, id, error, result] = body as [number, number, { error: string; message: string } | null, unknown];
        const waiter = this.pending.get(id);
        this.pending.delete(id);
        if (error) waiter?.reject(new MarionetteError(`${error.error}: ${error.message}`));
        else waiter?.resolve(result);
      }
    });
  }

  /** Starts headless Firefox with Marionette on a free port and opens a session. */
  static async launch(prefs: Record<string, string | number | boolean> = {}): Promise<Marionette> {
    requireExecutable(FIREFOX_PATH, 'firefox-esr');
    const profile = mkdtempSync(join(tmpdir(), 'sse-marionette-'));
    const port = await freePort();
    const all: Record<string, string | number | boolean> = {
      'marionette.port': port,
      // Keep Firefox off the network: no updates, telemetry or captive-portal checks.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'browser.startup.homepage_override.mstone': 'ignore',
      'browser.aboutwelcome.enabled': false,
      'extensions.update.enabled': false,
      'app.normandy.enabled': false,
      'toolkit.telemetry.reportingpolicy.firstRun': false,
      ...prefs,
    };
    writeFileSync(join(profile, 'user.js'), Object.entries(all).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
    const child = spawn(FIREFOX_PATH, ['-headless', '-no-remote', '-marionette', '-remote-allow-system-access', '-profile', profile], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    let socket: net.Socket | null = null;
    while (!socket) {
      socket = await new Promise<net.Socket | null>((resolve) => {
        const attempt = net.connect(port, '127.0.0.1');
        attempt.once('connect', () => resolve(attempt));
        attempt.once('error', () => resolve(null));
      });
      if (!socket) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new MarionetteError('Firefox did not open its Marionette port within 30 s');
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const client = new Marionette(socket, child, profile);
    await client.greeted;
    await client.send('WebDriver:NewSession', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    return client;
  }

  send<T = unknown>(command: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, command, params]), 'utf8');
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${body.length}:`);
      this.socket.write(body);
    });
  }

  /** Runs `body` (a function body: `return ...`) in the current browsing context. */
  async execute<T>(body: string, args: unknown[] = []): Promise<T> {
    const result = await this.send<{ value: T }>('WebDriver:ExecuteScript', { script: body, args });
    return result.value;
  }

  /** Runs `body`, which must call `arguments[arguments.length - 1](value)` when done. */
  async executeAsync<T>(body: string, args: unknown[] = [], timeoutMs = 60_000): Promise<T> {
    await this.send('WebDriver:SetTimeouts', { script: timeoutMs });
    const result = await this.send<{ value: T }>('WebDriver:ExecuteAsyncScript', { script: body, args });
    return result.value;
  }

  /**
   * Runs `body` with scripts in the browser's own (chrome) context, where DevTools lives, then
   * returns to the web content context. Calls must not overlap: the context is the session's.
   */
  async inChrome<T>(body: () => Promise<T>): Promise<T> {
    await this.send('Marionette:SetContext', { value: 'chrome' });
    try {
      return await body();
    } finally {
      await this.send('Marionette:SetContext', { value: 'content' });
    }
  }

  /** A PNG of the current context: in chrome, the whole browser window with its DevTools. */
  async screenshot(): Promise<Buffer> {
    const { value } = await this.send<{ value: string }>('WebDriver:TakeScreenshot', { full: false, hash: false });
    return Buffer.from(value, 'base64');
  }

  async setWindowSize(width: number, height: number): Promise<void> {
    await this.send('WebDriver:SetWindowRect', { width, height });
  }

  async navigate(url: string): Promise<void> {
    await this.send('WebDriver:Navigate', { url });
  }

  /** Opens a tab and switches to it; returns its handle. */
  async newTab(): Promise<string> {
    const { handle } = await this.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab' });
    await this.send('WebDriver:SwitchToWindow', { handle });
    return handle;
  }

  async switchTo(handle: string): Promise<void> {
    await this.send('WebDriver:SwitchToWindow', { handle });
  }

  async closeTab(): Promise<void> {
    await this.send('WebDriver:CloseWindow');
  }

  async installAddon(path: string): Promise<string> {
    const { value } = await this.send<{ value: string }>('Addon:Install', { path, temporary: true });
    return value;
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.send('Marionette:Quit', { flags: ['eForceQuit'] }), new Promise((resolve) => setTimeout(resolve, 3000))]);
    } catch {
      // Quitting closes the socket before the reply.
    }
    this.socket.destroy();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      this.child.kill('SIGKILL');
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

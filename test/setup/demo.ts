/**
 * `npm run demo`: the playground on :8080/:8081/:8082 and Chromium with the built extension, DevTools
 * open on the playground page so the "SSE Inspector" tab sits next to it. Ctrl+C stops everything.
 *
 * Environment: DEMO_PAGE_PORT, DEMO_API_PORT, DEMO_API2_PORT (0 = any free port), CHROMIUM_PATH,
 * DEMO_EXIT_AFTER_READY=1 (print READY once Chromium shows the panel, then shut down: a smoke test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { startPlayground, type Playground, type PlaygroundOptions } from '../../playground/server';
import { showExtensionPanel } from './demo-devtools';

/** A problem the person running the demo can fix: printed as one line, never as a stack trace. */
class DemoError extends Error {}

const EXTENSION_DIR = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const READY_TIMEOUT_MS = 30_000;
const EXIT_GRACE_MS = 5_000;

type PortName = 'pagePort' | 'apiPort' | 'api2Port';
const PORTS: readonly { key: PortName; env: string; fallback: number }[] = [
  { key: 'pagePort', env: 'DEMO_PAGE_PORT', fallback: 8080 },
  { key: 'apiPort', env: 'DEMO_API_PORT', fallback: 8081 },
  { key: 'api2Port', env: 'DEMO_API2_PORT', fallback: 8082 },
];

type Display = { kind: 'window' } | { kind: 'xvfb'; xvfbRun: string } | { kind: 'headless' };

interface ChromiumRun {
  readonly child: ChildProcess;
  readonly profile: string;
  /** The last lines Chromium printed: shown only when it fails to start. */
  readonly tail: string[];
  readonly exited: Promise<void>;
}

function portFromEnv(env: string, fallback: number): number {
  const raw = process.env[env];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DemoError(`${env} must be a port number (0-65535), got ${JSON.stringify(raw)}.`);
  return port;
}

function requestedPorts(): Record<PortName, number> {
  const [page, api, api2] = PORTS.map(({ env, fallback }) => portFromEnv(env, fallback)) as [number, number, number];
  return { pagePort: page, apiPort: api, api2Port: api2 };
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Starts on the requested ports; a port that is taken (or needs root) is swapped for a free one. */
async function startOnPorts(requested: Record<PortName, number>, notices: string[]): Promise<Playground> {
  const ports = { ...requested };
  for (let attempt = 0; ; attempt++) {
    const options: PlaygroundOptions = { ...ports };
    try {
      return await startPlayground(options);
    } catch (error) {
      const code = errnoCode(error);
      const port = error instanceof Error && 'port' in error ? error.port : undefined;
      const taken = PORTS.find(({ key }) => ports[key] === port && port !== 0);
      if ((code !== 'EADDRINUSE' && code !== 'EACCES') || taken === undefined || attempt >= PORTS.length) throw error;
      notices.push(`Port ${ports[taken.key]} is ${code === 'EADDRINUSE' ? 'busy' : 'not allowed'}: using a free port instead (set ${taken.env} to choose one).`);
      ports[taken.key] = 0;
    }
  }
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

function pickDisplay(): Display {
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { kind: 'window' };
  const xvfbRun = onPath('xvfb-run');
  return xvfbRun === null ? { kind: 'headless' } : { kind: 'xvfb', xvfbRun };
}

function launchChromium(display: Display): ChromiumRun {
  const profile = mkdtempSync(join(tmpdir(), 'sse-inspector-demo-'));
  const args = [
    `--user-data-dir=${profile}`,
    `--load-extension=${EXTENSION_DIR}`,
    `--disable-extensions-except=${EXTENSION_DIR}`,
    '--auto-open-devtools-for-tabs',
    // Without these Chromium keeps trying to reach Google's servers.
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    // Port 0: Chromium picks a free one and writes it to <profile>/DevToolsActivePort.
    '--remote-debugging-port=0',
    // Chromium refuses to start as root with its sandbox on.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(display.kind === 'headless' ? ['--headless=new'] : []),
    // No start-up URL: with an extension that uses webRequest and DevTools opening for every tab,
    // Chromium 156 never loads a URL given on the command line (the tab stays empty). The playground
    // is opened in a new tab once the extension is up (see readyPort).
  ];
  const [command, commandArgs] = display.kind === 'xvfb' ? [display.xvfbRun, ['-a', CHROMIUM_PATH, ...args]] : [CHROMIUM_PATH, args];
  // Its own process group: Ctrl+C reaches only this script, which then stops xvfb-run, Chromium
  // and Chromium's helpers together, after the playground's last word.
  const child = spawn(command, commandArgs, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - 15));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      tail.push(`could not start ${command}: ${error.message}`);
      resolve();
    });
  });
  return { child, profile, tail, exited };
}

interface DebugTarget {
  readonly id: string;
  readonly type: string;
  readonly url: string;
}

/**
 * Ready when Chromium's debugging endpoint lists the playground page, its DevTools front end and
 * the extension's devtools page (the page that registers the SSE Inspector panel).
 */
async function debuggingPortWhenReady(run: ChromiumRun, pageUrl: string, stop: AbortSignal): Promise<number | null> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    if (stop.aborted) return null;
    if (exited) throw new DemoError(`Chromium exited before it was ready. Its last words:\n  ${run.tail.join('\n  ') || '(nothing)'}`);
    if (Date.now() > deadline) throw new DemoError(`Chromium did not show DevTools with the extension within ${READY_TIMEOUT_MS / 1000} s. Its last words:\n  ${run.tail.join('\n  ') || '(nothing)'}`);
    const port = await readyPort(run.profile, pageUrl);
    if (port !== null) return port;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readyPort(profile: string, pageUrl: string): Promise<number | null> {
  try {
    const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(port) || port <= 0) return null;
    const endpoint = `http://127.0.0.1:${port}/json`;
    const targets = (await (await fetch(`${endpoint}/list`)).json()) as DebugTarget[];
    const worker = targets.some((t) => t.type === 'service_worker' && /^chrome-extension:\/\/[a-p]{32}\/background\.js$/.test(t.url));
    const page = targets.some((t) => t.type === 'page' && t.url === pageUrl);
    if (worker && !page && !targets.some((t) => t.type === 'page' && t.url.startsWith(pageUrl))) {
      // The extension is up: open the playground in a new tab (DevTools opens beside it).
      await fetch(`${endpoint}/new?${pageUrl}`, { method: 'PUT' });
      return null;
    }
    const devtools = targets.some((t) => t.url.startsWith('devtools://devtools/'));
    const extension = targets.some((t) => /^chrome-extension:\/\/[a-p]{32}\/devtools\.html$/.test(t.url));
    if (!(page && devtools && extension)) return null;
    // The start-up tab (and its DevTools) would only confuse: the playground's tab is the one.
    for (const t of targets) if (t.type === 'page' && (t.url === '' || t.url === 'about:blank' || t.url.startsWith('chrome://newtab'))) await fetch(`${endpoint}/close/${t.id}`);
    return port;
  } catch {
    // The file is not written yet, or Chromium is still opening its endpoint.
    return null;
  }
}

async function stopChromium(run: ChromiumRun): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (run.child.pid !== undefined) process.kill(-run.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_GRACE_MS)));
  await Promise.race([run.exited, grace]);
  clearTimeout(timer);
  signalGroup('SIGKILL');
  await run.exited;
}

function describeDisplay(display: Display, pageUrl: string, ports: readonly string[], debugPort: number): string {
  switch (display.kind) {
    case 'window':
      return 'Chromium is open with DevTools docked next to the playground.';
    case 'xvfb':
      return `No display: Chromium runs under xvfb-run (a virtual display); open ${pageUrl} in a browser on this machine to try the playground.`;
    case 'headless':
      return `No display (DISPLAY and WAYLAND_DISPLAY are unset, no xvfb-run): Chromium runs headless with the extension and DevTools (debugging port 127.0.0.1:${debugPort}); to see it, open ${pageUrl} in a browser on this machine (over ssh forward ports ${ports.join(', ')}) and load ${EXTENSION_DIR} there as an unpacked extension (chrome://extensions, Developer mode).`;
  }
}

function aborted(signal: AbortSignal): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

async function main(): Promise<number> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new DemoError(`The extension is not built (${EXTENSION_DIR} has no manifest.json): run npm run demo, or npx wxt build first.`);
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new DemoError(`Chromium was not found at ${CHROMIUM_PATH}: install it with 'sudo apt-get install chromium' or set CHROMIUM_PATH.`);
  }
  const exitAfterReady = process.env.DEMO_EXIT_AFTER_READY === '1';
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Repeats are ignored, not fatal: one Ctrl+C under `npm run` arrives several times (the terminal
    // signals the whole group, and npm passes it on), and shutting down is bounded anyway. It runs as
    // one process (`node --import tsx`), not under the tsx CLI, whose relay SIGKILLs the script (exit
    // 130) when the script does not acknowledge a signal within 30 ms, as happens on a busy machine.
    process.on(signal, () => stop.abort());
  }

  const notices: string[] = [];
  const playground = await startOnPorts(requestedPorts(), notices);
  let run: ChromiumRun | null = null;
  try {
    const pageUrl = `${playground.pageOrigin}/`;
    const index = await fetch(pageUrl);
    if (index.status !== 200) throw new Error(`the playground page answered ${index.status}`);
    const ports = [playground.pageOrigin, playground.apiOrigin, playground.api2Origin].map((origin) => new URL(origin).port);
    for (const notice of notices) console.log(notice);
    console.log('SSE Inspector demo');
    console.log(`  Playground  ${pageUrl}  (index page answered ${index.status})`);
    console.log(`  APIs        ${playground.apiOrigin}  ${playground.api2Origin}  (other origins: cross-origin streams)`);
    console.log(`  Extension   ${EXTENSION_DIR}`);
    const display = pickDisplay();
    console.log(`Starting ${CHROMIUM_PATH}${display.kind === 'xvfb' ? ' under xvfb-run' : display.kind === 'headless' ? ' headless' : ''}...`);
    if (stop.signal.aborted) return 0;
    run = launchChromium(display);
    const started = run;

    const debugPort = await debuggingPortWhenReady(started, pageUrl, stop.signal);
    if (debugPort === null) return 0;
    const shown = await showExtensionPanel(puppeteer, debugPort, 'SSE Inspector');
    console.log(describeDisplay(display, pageUrl, ports, debugPort));
    console.log(
      shown
        ? 'DevTools shows the "SSE Inspector" tab: press a button on the playground page and the tab explains each stream.'
        : 'Open the "SSE Inspector" tab in DevTools (it may be behind the » menu) and press a button on the playground page.',
    );
    if (exitAfterReady) {
      console.log('READY');
      return 0;
    }
    console.log('Ctrl+C to stop.');
    if ((await Promise.race([aborted(stop.signal), started.exited.then(() => 'closed' as const)])) === 'closed') console.log('Chromium was closed.');
    return 0;
  } finally {
    console.log('Stopping...');
    if (run !== null) {
      await stopChromium(run);
      rmSync(run.profile, { recursive: true, force: true });
    }
    await playground.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DemoError) console.error(error.message);
    else console.error('The demo failed:', error);
    process.exit(1);
  },
);

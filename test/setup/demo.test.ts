import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run demo` after its build step: the same `node --import tsx test/setup/demo.ts`, with no display (so
 * Chromium runs headless, or under xvfb-run where installed) and ports the system picks.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXTENSION = join(ROOT, '.output/chrome-mv3');

interface Demo {
  readonly child: ChildProcess;
  readonly tmp: string;
  stdout: string;
  stderr: string;
  readonly exit: Promise<number | null>;
}

const running: Demo[] = [];

function startDemo(env: Record<string, string>): Demo {
  const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...inherited } = process.env;
  const tmp = mkdtempSync(join(tmpdir(), 'sse-demo-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/setup/demo.ts'], {
    cwd: ROOT,
    env: { ...inherited, TMPDIR: tmp, DEMO_PAGE_PORT: '0', DEMO_API_PORT: '0', DEMO_API2_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a shell job: Ctrl+C signals the whole group.
    detached: true,
  });
  const demo: Demo = {
    child,
    tmp,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (demo.stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (demo.stderr += chunk.toString('utf8')));
  running.push(demo);
  return demo;
}

/** Resolves with the first stdout line matching `pattern`; rejects if the demo exits first. */
function lineMatching(demo: Demo, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      for (const line of demo.stdout.split('\n')) {
        const match = pattern.exec(line);
        if (match !== null) {
          demo.child.stdout?.off('data', onData);
          resolve(match);
          return true;
        }
      }
      return false;
    };
    const onData = (): void => void check();
    if (check()) return;
    demo.child.stdout?.on('data', onData);
    void demo.exit.then((code) => {
      if (!check()) reject(new Error(`demo exited (${code}) before printing ${pattern}:\n${demo.stdout}\n${demo.stderr}`));
    });
  });
}

function leftoverProfiles(demo: Demo): string[] {
  return readdirSync(demo.tmp).filter((name) => name.startsWith('sse-inspector-demo-'));
}

describe('npm run demo', () => {
  beforeAll(() => {
    if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error('build the extension first: npx wxt build');
  });

  afterEach(async () => {
    for (const demo of running.splice(0)) {
      // SIGTERM, not SIGKILL: the demo then stops the Chromium it started.
      if (demo.child.exitCode === null && demo.child.signalCode === null && demo.child.pid !== undefined) process.kill(-demo.child.pid, 'SIGTERM');
      await demo.exit;
      rmSync(demo.tmp, { recursive: true, force: true });
    }
  });

  it('shows the SSE Inspector panel in Chromium next to the playground, then exits cleanly (DEMO_EXIT_AFTER_READY)', async () => {
    const demo = startDemo({ DEMO_EXIT_AFTER_READY: '1' });
    expect(await demo.exit, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/^ {2}Playground {2}http:\/\/localhost:\d+\/ {2}\(index page answered 200\)$/m);
    expect(demo.stdout).toMatch(/^ {2}APIs {8}http:\/\/127\.0\.0\.1:\d+ {2}http:\/\/127\.0\.0\.1:\d+ /m);
    expect(demo.stdout).toContain(`  Extension   ${EXTENSION}\n`);
    expect(demo.stdout).toContain('DevTools shows the "SSE Inspector" tab');
    expect(demo.stdout).toMatch(/^READY$/m);
    expect(demo.stderr).toBe('');
    expect(leftoverProfiles(demo)).toEqual([]);
  }, 30_000);

  it('serves the playground until Ctrl+C, moving off a busy port, then stops everything', async () => {
    const busy: Server = createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const busyPort = (busy.address() as AddressInfo).port;
      const demo = startDemo({ DEMO_API_PORT: String(busyPort) });
      await lineMatching(demo, /^Ctrl\+C to stop\.$/);
      expect(demo.stdout).toContain(`Port ${busyPort} is busy: using a free port instead (set DEMO_API_PORT to choose one).\n`);
      const [, pageUrl = ''] = /^ {2}Playground {2}(\S+)/m.exec(demo.stdout) ?? [];
      const page = await fetch(pageUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>SSE Inspector playground</title>');

      // As a terminal does on Ctrl+C: the whole process group gets it.
      if (demo.child.pid !== undefined) process.kill(-demo.child.pid, 'SIGINT');
      expect(await demo.exit, demo.stderr).toBe(0);
      expect(demo.stdout).toContain('Stopping...');
      await expect(fetch(pageUrl)).rejects.toThrow();
      expect(leftoverProfiles(demo)).toEqual([]);
    } finally {
      busy.close();
    }
  }, 30_000);

  it('says in one line that Chromium is missing', async () => {
    const demo = startDemo({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(await demo.exit).toBe(1);
    expect(demo.stderr).toBe("Chromium was not found at /nonexistent/chromium: install it with 'sudo apt-get install chromium' or set CHROMIUM_PATH.\n");
    expect(demo.stdout).toBe('');
  }, 30_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type RequestListener, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/**
 * Real servers for the apply-fix test: Express apps and plain Node upstreams on 127.0.0.1
 * port 0, and nginx started as a child process from a throwaway prefix directory.
 */

export interface Running {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
}

function running(port: number): Running {
  const origin = `http://127.0.0.1:${port}`;
  return { origin, port, url: (path) => `${origin}${path}` };
}

export const tick = (n: number): string => `data: {"tick":${n}}\n\n`;

/**
 * What one test started; `stop()` ends all of it. One per test rather than one per file, so
 * tests can run concurrently without stopping each other's servers.
 */
export class Loopback {
  private readonly cleanups: (() => Promise<void>)[] = [];
  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.cleanups.splice(0).map((cleanup) => cleanup()));
  }

  /** Registers how to end something just started; a test that already ended (timed out) ends it at once. */
  private track(cleanup: () => Promise<void>): void {
    if (!this.stopped) {
      this.cleanups.push(cleanup);
      return;
    }
    void cleanup();
    throw new Error('started a server after the test had finished');
  }

  /** Serves `listener` (an Express app or a plain handler) on 127.0.0.1, port 0. */
  async serve(listener: RequestListener): Promise<Running> {
    const server = http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.track(
      () =>
        new Promise<void>((resolve) => {
          // Streams never end on their own: cut them, or close() waits for ever.
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return running((server.address() as AddressInfo).port);
  }

  /**
   * The app's own publisher, the part the Express snippet leaves to the user ("Send each event
   * as res.write(...)"): every open stream response on `path` gets a tick every `everyMs`, once
   * its route handler has sent the headers. Mounted before the routes, so the broken handler
   * and the rendered one stream the same payload without either being edited.
   */
  tickFeed(path: string, everyMs: number): (req: Request, res: Response, next: NextFunction) => void {
    const streams = new Set<ServerResponse>();
    let n = 0;
    const timer = setInterval(() => {
      n++;
      for (const res of streams) if (res.headersSent && !res.writableEnded) res.write(tick(n));
    }, everyMs);
    this.track(async () => clearInterval(timer));
    return (req, res, next) => {
      if (req.method === 'GET' && req.path === path) {
        streams.add(res);
        res.on('close', () => streams.delete(res));
      }
      next();
    };
  }

  /**
   * Starts nginx with `httpBlock(port)` as the contents of `http {}`, on a free loopback port,
   * and resolves once that port accepts connections. Rejects with nginx's own words if it exits
   * or is not up within 5 s.
   */
  async nginx(httpBlock: (port: number) => string): Promise<Running> {
    requireNginx();
    const port = await freePort();
    const block = httpBlock(port);
    const dir = mkdtempSync(join(tmpdir(), 'sse-inspector-nginx-'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, nginxConf(dir, block));
    const child = spawn(NGINX, ['-p', `${dir}/`, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.track(() => stopNginx(child, dir));
    let stderr = '';
    child.once('error', (error) => (stderr += `${error.message}\n`));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const why = (what: string): Error => {
      let log = '';
      try {
        log = readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        // nginx may have failed before opening its log.
      }
      return new Error(`nginx ${what}:\n${stderr}${log}\n--- nginx.conf ---\n${readFileSync(conf, 'utf8')}`);
    };
    const deadline = Date.now() + 5000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw why(`exited with ${child.exitCode ?? child.signalCode}`);
      if (await connects(port)) return running(port);
      if (Date.now() > deadline) throw why(`did not accept connections on 127.0.0.1:${port} within 5 s`);
      // Poll interval while nginx parses its config and binds; bounded by the deadline above.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A loopback port nothing listens on right now, for servers that cannot be told port 0 (nginx). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const NGINX = '/usr/sbin/nginx';

/** The nginx tests must fail, not skip, where nginx is missing: the fix they prove is nginx's. */
export function requireNginx(): void {
  try {
    accessSync(NGINX, constants.X_OK);
  } catch {
    throw new Error(`nginx not found at ${NGINX}: install it with \`apt-get install nginx-light\``);
  }
}

/**
 * A complete nginx.conf around `http` (the contents of `http {}`). Every path nginx writes is in
 * `dir`. One process without a master: nothing to drop privileges to when the tests run as
 * root, and a single pid to stop.
 */
function nginxConf(dir: string, httpBlock: string): string {
  return [
    'daemon off;',
    'master_process off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log ${join(dir, 'access.log')};`,
    `    client_body_temp_path ${join(dir, 'client_body')};`,
    `    proxy_temp_path ${join(dir, 'proxy')};`,
    `    fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `    uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `    scgi_temp_path ${join(dir, 'scgi')};`,
    httpBlock,
    '}',
    '',
  ].join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stopNginx(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    // SIGTERM is nginx's fast shutdown: open streams are cut, not waited for.
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited(child);
    clearTimeout(killer);
  }
  rmSync(dir, { recursive: true, force: true });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

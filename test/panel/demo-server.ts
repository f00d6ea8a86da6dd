import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** The built extension's folder, where `wxt build` puts panel-demo.html (the panel on a recorded feed). */
export const BUILT_EXTENSION = join(import.meta.dirname, '../../.output/chrome-mv3');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export interface DemoServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the built extension's files over loopback HTTP: module scripts do not load from file://. */
export async function serveBuiltExtension(): Promise<DemoServer> {
  if (!existsSync(join(BUILT_EXTENSION, 'panel-demo.html'))) throw new Error('build the extension first: npx wxt build');
  const server = http.createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(BUILT_EXTENSION, path);
    if (!file.startsWith(BUILT_EXTENSION) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endpoints, type Endpoint, type EndpointContext, type Host } from './endpoints';
import { renderIndexPage } from './page';
import { reply } from './sse';

export interface PlaygroundOptions {
  /** 0 (the default) picks a free port. */
  readonly pagePort?: number;
  readonly apiPort?: number;
  readonly api2Port?: number;
  /** Called when an endpoint handler throws; defaults to console.error. */
  readonly onError?: (error: unknown, endpointId: string) => void;
}

export interface Playground {
  /** `http://localhost:<port>`: the page origin is reached by name, the APIs by address, so they differ. */
  readonly pageOrigin: string;
  readonly apiOrigin: string;
  readonly api2Origin: string;
  readonly endpoints: readonly Endpoint[];
  urlFor(endpointId: string, on?: Host): string;
  close(): Promise<void>;
}

/** Hard ceiling per request: streams end by themselves after 20 s, this catches anything that does not. */
const REQUEST_CEILING_MS = 25_000;
const HOST = '127.0.0.1';

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const script = await readFile(new URL('./public/index.js', import.meta.url), 'utf8');
  const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  const onError = options.onError ?? ((error: unknown, id: string) => console.error(`playground: endpoint ${id} threw`, error));
  const sockets = new Set<Socket>();
  let site: Site | null = null;

  const servers = (['page', 'api', 'api2'] as const).map((host) => {
    const server = createServer((req, res) => {
      if (site === null) reply(res, 503, [['Retry-After', '1']]);
      else serve(site, host, req, res);
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return server;
  });
  const [pageServer, apiServer, api2Server] = servers as [Server, Server, Server];

  let ports: number[];
  try {
    ports = [
      await listen(pageServer, options.pagePort ?? 0),
      await listen(apiServer, options.apiPort ?? 0),
      await listen(api2Server, options.api2Port ?? 0),
    ];
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const [pagePort, apiPort, api2Port] = ports as [number, number, number];
  const origins: Record<Host, string> = {
    page: `http://localhost:${pagePort}`,
    api: `http://${HOST}:${apiPort}`,
    api2: `http://${HOST}:${api2Port}`,
  };

  const urlFor = (endpointId: string, on: Host = 'api'): string => {
    const endpoint = byId.get(endpointId);
    if (endpoint === undefined) throw new Error(`unknown playground endpoint: ${endpointId}`);
    return `${origins[on]}/sse/${endpoint.id}${endpoint.query === undefined ? '' : `?${endpoint.query}`}`;
  };
  const page = renderIndexPage({
    endpoints,
    pageOrigin: origins.page,
    apiOrigin: origins.api,
    api2Origin: origins.api2,
    startUrl: (endpoint) => urlFor(endpoint.id, endpoint.startOn),
  });
  site = { origins, byId, page, script, onError };

  let closing: Promise<void> | null = null;
  return {
    pageOrigin: origins.page,
    apiOrigin: origins.api,
    api2Origin: origins.api2,
    endpoints,
    urlFor,
    close() {
      closing ??= (async () => {
        const closed = Promise.all(servers.map(closeServer));
        // Open streams would keep server.close() waiting for up to 20 s: cut them now.
        for (const socket of sockets) socket.destroy();
        await closed;
      })();
      return closing;
    },
  };
}

interface Site {
  readonly origins: Record<Host, string>;
  readonly byId: ReadonlyMap<string, Endpoint>;
  readonly page: string;
  readonly script: string;
  readonly onError: (error: unknown, endpointId: string) => void;
}

function serve(site: Site, host: Host, req: IncomingMessage, res: ServerResponse): void {
  const ceiling = setTimeout(() => res.destroy(), REQUEST_CEILING_MS);
  res.once('close', () => clearTimeout(ceiling));
  const path = pathOf(req.url);
  const id = /^\/sse\/([a-z0-9-]+)$/.exec(path)?.[1];
  const endpoint = id === undefined ? undefined : site.byId.get(id);
  if (endpoint !== undefined) {
    const ctx: EndpointContext = { pageOrigin: site.origins.page, apiOrigin: site.origins.api, api2Origin: site.origins.api2, origin: site.origins[host] };
    try {
      endpoint.handle(req, res, ctx);
    } catch (error) {
      site.onError(error, endpoint.id);
      if (!res.headersSent) reply(res, 500, [['Content-Type', 'text/plain; charset=utf-8']], 'playground endpoint failed\n');
      else res.destroy();
    }
    return;
  }
  if (host === 'page' && req.method === 'GET' && (path === '/' || path === '/index.html')) {
    reply(res, 200, [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], site.page);
    return;
  }
  if (host === 'page' && req.method === 'GET' && path === '/index.js') {
    reply(res, 200, [['Content-Type', 'text/javascript; charset=utf-8'], ['Cache-Control', 'no-store']], site.script);
    return;
  }
  const hint = host === 'page' ? '' : ` The playground page is ${site.origins.page}/`;
  reply(res, 404, [['Content-Type', 'text/plain; charset=utf-8']], `Not found.${hint}\n`);
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://playground.invalid').pathname;
  } catch {
    return '/';
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

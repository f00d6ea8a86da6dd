import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { HeaderLine } from '../../lib/model/headers';

/**
 * Small loopback servers for the CLI tests: started on 127.0.0.1 port 0, every request
 * recorded with its raw header lines, and every socket destroyed by `closeAll()`.
 */

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: HeaderLine[];
  header(name: string): string | undefined;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  url(path?: string): string;
  close(): Promise<void>;
}

const open: TestServer[] = [];

function seen(req: IncomingMessage): SeenRequest {
  const headers: HeaderLine[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers,
    header: (name) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
  };
}

async function listen(server: net.Server, sockets: Set<Socket>, requests: SeenRequest[]): Promise<TestServer> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const handle: TestServer = {
    origin,
    port,
    requests,
    url: (path = '/events') => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, request: SeenRequest, index: number) => void;

export function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const request = seen(req);
    requests.push(request);
    handler(req, res, request, requests.length - 1);
  });
  return listen(server, sockets, requests);
}

/** A raw TCP server, for responses Node's HTTP server refuses to send (endless headers, slow-loris). */
export function startRawServer(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listen(server, sockets, []);
}

/** A loopback port with nothing listening: a server is started, then closed. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((server) => server.close()));
}

/** Collects what main() writes, and whether stdout claims to be a terminal. */
export function fakeIo(options: { isTTY?: boolean; env?: Record<string, string | undefined> } = {}) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
      stderr: { write: (text: string) => (stderr += text) },
      env: options.env ?? {},
    },
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

export const EVENT_STREAM = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' } as const;

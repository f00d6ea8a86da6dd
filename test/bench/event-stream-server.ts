import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The loopback server of the page hook's benchmarks: `/sse` answers `events` events, each like a
 * chatty JSON feed's and with an `id:`, made once and written in 64 KB slabs so that the server is
 * not what is measured; `/frame...` a page that runs a script (as nearly every real frame does:
 * without one, a frame with the hook would pay for creating its JavaScript world, which a frame
 * without the hook never creates); anything else an empty page.
 */
export async function serveEventStream(events: number): Promise<{ readonly server: http.Server; readonly origin: string }> {
  const parts: string[] = [];
  for (let i = 1; i <= events; i++) parts.push(`id: ${i}\ndata: {"seq":${i},"price":${(i * 1.37).toFixed(2)},"symbol":"SSE"}\n\n`);
  const body = Buffer.from(parts.join(''));
  const slab = 64 * 1024;
  const server = http.createServer((req, res) => {
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let offset = 0; offset < body.length; offset += slab) res.write(body.subarray(offset, offset + slab));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(req.url?.startsWith('/frame') ? '<!doctype html><title>frame</title><script>window.framed = 1</script>' : '<!doctype html><title>hook bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

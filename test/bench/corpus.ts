import { stream, type StreamOptions } from '../../lib/model/builders';
import type { StreamRecord } from '../../lib/model/record';

/**
 * A deterministic mix of realistic records: the broken and healthy shapes the playground serves,
 * with browser-like request headers and a few events each, so JSON.parse has real work to do.
 */
const PAGE = 'https://app.example.com';
const REQUEST_HEADERS: [string, string][] = [
  ['Accept', 'text/event-stream'],
  ['Cache-Control', 'no-cache'],
  ['Origin', PAGE],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'],
  ['Accept-Language', 'en-US,en;q=0.9'],
];
const SERVER_HEADERS: [string, string][] = [
  ['Date', 'Wed, 25 Nov 2026 19:00:00 GMT'],
  ['Server', 'nginx/1.25.3'],
  ['Connection', 'keep-alive'],
];

const SHAPES: StreamOptions[] = [
  { acao: PAGE, headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin'], ...SERVER_HEADERS] },
  { acao: '*', credentials: true, headers: SERVER_HEADERS },
  { headers: SERVER_HEADERS },
  { acao: [PAGE, PAGE], headers: SERVER_HEADERS },
  { acao: `${PAGE}/`, headers: SERVER_HEADERS },
  { acao: PAGE, credentials: true, headers: SERVER_HEADERS },
  { acao: '*', contentType: 'text/html', headers: SERVER_HEADERS },
  { acao: '*', attempts: 3, bodyEnd: 'server', retryValues: [200], headers: SERVER_HEADERS },
  { client: 'fetch', requestHeaders: [['X-API-Key', 'k'], ['Authorization', 'Bearer t']], preflight: { status: 204, acao: PAGE, allowHeaders: 'x-api-key' }, acao: PAGE, headers: SERVER_HEADERS },
  { acao: '*', redirects: [{ location: 'https://edge.example.net/events', acao: '*' }], headers: SERVER_HEADERS },
  { acao: '*', status: 204, headers: SERVER_HEADERS },
  { acao: '*', contentType: 'text/event-stream; charset=iso-8859-1', headers: [['Content-Encoding', 'gzip'], ...SERVER_HEADERS] },
];

export function corpus(count: number): StreamRecord[] {
  const records: StreamRecord[] = [];
  for (let i = 0; i < count; i++) {
    const shape = SHAPES[i % SHAPES.length] as StreamOptions;
    records.push(
      stream({
        id: `s${i}`,
        pageOrigin: PAGE,
        url: `https://api.example.com/v1/streams/${i}?channel=prices`,
        requestHeaders: shape.requestHeaders ?? REQUEST_HEADERS,
        events: [{ data: `{"seq":${i},"price":101.5}`, id: String(i) }, { data: 'tick', type: 'heartbeat' }],
        ...shape,
      }),
    );
  }
  return records;
}

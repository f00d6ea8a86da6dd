import type { HeaderLine, HeaderList } from '../model/headers';
import type { ExchangeKind } from '../model/record';
import type { ServerPlan } from './plan';
import { commaList, safePlan } from './platforms/common';

/**
 * What a server built from a plan answers on one exchange: the status and the header lines every
 * platform's snippet sends (the Express snippet is the reference, and a test runs it). The
 * what-if editor puts these lines in place of the captured ones to check a fix before anyone
 * touches the server.
 */
export interface PlannedResponse {
  /** The status the plan's handler answers with; null leaves the exchange's own (redirect hops). */
  readonly status: number | null;
  /** Header lines in the order the Express snippet sets them. */
  readonly headers: HeaderList;
  /** Lower-case names the plan decides for this exchange: captured lines with these names are replaced, not kept. */
  readonly owns: readonly string[];
}

export interface PlannedExchange {
  readonly kind: ExchangeKind;
  /** The Origin the browser sends on this exchange; null when the request is same-origin (no CORS). */
  readonly requestOrigin: string | null;
}

// Vary is not owned: the plan adds `Origin` to what the server already varies on (res.vary() does).
const CORS_NAMES = ['access-control-allow-origin', 'access-control-allow-credentials'];
const PREFLIGHT_NAMES = [...CORS_NAMES, 'access-control-allow-methods', 'access-control-allow-headers'];
// The plan's stream handler writes uncompressed chunks with no length: a captured Content-Length or
// Content-Encoding came from the broken setup the fix replaces.
const STREAM_NAMES = [...CORS_NAMES, 'content-type', 'cache-control', 'x-accel-buffering', 'content-length', 'content-encoding'];

export const STREAM_CONTENT_TYPE = 'text/event-stream; charset=utf-8';
export const STREAM_CACHE_CONTROL = 'no-cache, no-transform';

/**
 * The plan's answer on `exchange`. CORS lines follow the snippets' exact-match allowlist: the
 * Origin is echoed only when it is listed (never `null`, never a reflected stranger), with
 * `Vary: Origin` always, so a cache never mixes answers for different origins.
 */
export function plannedResponse(plan: ServerPlan, exchange: PlannedExchange): PlannedResponse {
  const safe = safePlan(plan);
  const cors: HeaderLine[] = [];
  if (safe.cors) {
    cors.push(['Vary', 'Origin']);
    if (exchange.requestOrigin !== null && safe.origins.includes(exchange.requestOrigin)) {
      cors.push(['Access-Control-Allow-Origin', exchange.requestOrigin]);
      if (safe.credentials) cors.push(['Access-Control-Allow-Credentials', 'true']);
    }
  }
  switch (exchange.kind) {
    case 'preflight': {
      // A plan for a stream that needs no preflight still answers one with only GET allowed:
      // the snippets register no OPTIONS route then, and a browser sends none.
      const preflight = safe.preflight ?? { methods: ['GET'], headers: [] };
      const lines: HeaderLine[] = [...cors, ['Access-Control-Allow-Methods', commaList(preflight.methods)]];
      if (preflight.headers.length > 0) lines.push(['Access-Control-Allow-Headers', commaList(preflight.headers)]);
      return { status: 204, headers: lines, owns: PREFLIGHT_NAMES };
    }
    case 'redirect':
      // The plan describes the stream's own endpoint; a hop on the way only needs CORS to be readable.
      return { status: null, headers: cors, owns: CORS_NAMES };
    case 'response':
      return {
        status: 200,
        headers: [...cors, ['Content-Type', STREAM_CONTENT_TYPE], ['Cache-Control', STREAM_CACHE_CONTROL], ['X-Accel-Buffering', 'no']],
        owns: STREAM_NAMES,
      };
  }
}

/**
 * Captured lines with the plan's lines in their place: every line the plan owns is dropped, the
 * plan's lines take the position of the first dropped one (or go last), and everything else
 * (Date, Server, custom headers) stays where it was, duplicates included. `Vary: Origin` is merged
 * the way Express's res.vary() does it: into the first Vary line, unless one already names Origin or `*`.
 *
 * Rows are generic so an editor can pass its text rows through: `lineOf` reads a row's header line
 * (null for a row that is not one, such as a malformed line, which then stays untouched in place).
 */
export function withPlannedHeaders<Row = HeaderLine>(
  rows: readonly Row[],
  planned: PlannedResponse,
  lineOf: (row: Row) => HeaderLine | null = (row) => row as unknown as HeaderLine,
  rowOf: (line: HeaderLine) => Row = (line) => line as unknown as Row,
): Row[] {
  const owned = new Set(planned.owns);
  const lines = rows.map(lineOf);
  const isVary = (line: HeaderLine | null): line is HeaderLine => line !== null && line[0].toLowerCase() === 'vary';
  const varyTokens = (value: string) => value.split(',').map((token) => token.trim().toLowerCase());
  const variesAlready = lines.some((line) => isVary(line) && varyTokens(line[1]).some((t) => t === 'origin' || t === '*'));
  const firstVary = lines.findIndex(isVary);
  const plannedVary = planned.headers.some(([name]) => name === 'Vary');
  const kept: Row[] = [];
  let at = -1;
  for (const [index, row] of rows.entries()) {
    const line = lines[index] ?? null;
    if (line !== null && owned.has(line[0].toLowerCase())) {
      if (at < 0) at = kept.length;
      continue;
    }
    if (line !== null && index === firstVary && plannedVary && !variesAlready) {
      const value = line[1].trim();
      kept.push(rowOf([line[0], value === '' ? 'Origin' : `${value}, Origin`]));
      continue;
    }
    kept.push(row);
  }
  if (at < 0) at = kept.length;
  // The plan's Vary line is needed only when no existing Vary line can carry Origin.
  const own = planned.headers.filter(([name]) => name !== 'Vary' || firstVary < 0).map(rowOf);
  return [...kept.slice(0, at), ...own, ...kept.slice(at)];
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SSE_HEADERS,
  after,
  allowPageOrigin,
  dataEvent,
  idEvent,
  lastEventId,
  originVariant,
  otherPort,
  paddedEvent,
  portSuffix,
  reply,
  requestUrl,
  stream,
  type EndpointContext,
  type Handler,
  type HeaderLines,
  type StreamPlan,
} from './sse';

export type { EndpointContext, HeaderLines } from './sse';

export type Category =
  | 'control'
  | 'acao'
  | 'credentials'
  | 'preflight'
  | 'status'
  | 'mime'
  | 'redirect'
  | 'streaming'
  | 'reconnect'
  | 'network';

/**
 * How the client connects. 'fetch-header' sends `X-API-Key: demo`, 'fetch-authorization' sends
 * `Authorization: Bearer demo`, 'fetch-header-credentials' sends `X-API-Key: demo` with
 * `credentials: 'include'` (the only way to get a credentialed preflight).
 */
export type Scenario =
  | 'eventsource'
  | 'eventsource-credentials'
  | 'fetch'
  | 'fetch-credentials'
  | 'fetch-header'
  | 'fetch-header-credentials'
  | 'fetch-authorization';

export const SCENARIOS: readonly Scenario[] = [
  'eventsource',
  'eventsource-credentials',
  'fetch',
  'fetch-credentials',
  'fetch-header',
  'fetch-header-credentials',
  'fetch-authorization',
];

export type Host = 'page' | 'api' | 'api2';

export interface Endpoint {
  readonly id: string;
  readonly title: string;
  /** What is broken (or, for a control, what is right), in one or two sentences. */
  readonly description: string;
  readonly category: Category;
  readonly scenarios: readonly Scenario[];
  /** The server the client connects to first: the page origin for same-origin cases, else the API. */
  readonly startOn: Host;
  /** Query string (without `?`) the client must send, e.g. the token of the query-token case. */
  readonly query?: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: EndpointContext): void;
}

export const CATEGORIES: readonly { readonly id: Category; readonly title: string }[] = [
  { id: 'control', title: 'Controls: correct configurations' },
  { id: 'acao', title: 'Access-Control-Allow-Origin' },
  { id: 'credentials', title: 'Access-Control-Allow-Credentials' },
  { id: 'preflight', title: 'Preflights (fetch clients with custom headers)' },
  { id: 'status', title: 'Status codes' },
  { id: 'mime', title: 'Content-Type' },
  { id: 'redirect', title: 'Redirects' },
  { id: 'streaming', title: 'Streaming and deployment faults' },
  { id: 'reconnect', title: 'Reconnect loops' },
  { id: 'network', title: 'Network errors' },
];

type Cors = (req: IncomingMessage, ctx: EndpointContext) => HeaderLines;
type PlanOptions = Omit<StreamPlan, 'headers'> & { readonly headers?: HeaderLines };

const API_KEY_AND_AUTHORIZATION = 'X-API-Key, Authorization';
const OTHER_ORIGIN = 'https://app.example.com';
const JSON_TYPE: HeaderLines = [['Content-Type', 'application/json']];

const noCors: Cors = () => [];
const allowPage: Cors = (req, ctx) => allowPageOrigin(req, ctx);
const allowPageWithCredentials: Cors = (req, ctx) => allowPageOrigin(req, ctx, true);
/** A value fixed in configuration (nginx add_header, a framework setting): sent whatever the request. */
const fixed =
  (...values: readonly ((ctx: EndpointContext) => string)[]): Cors =>
  (_req, ctx) =>
    values.map((value) => ['Access-Control-Allow-Origin', value(ctx)] as const);
const withLines =
  (cors: Cors, ...lines: HeaderLines): Cors =>
  (req, ctx) => [...cors(req, ctx), ...lines];
/** Echoes whatever Origin arrives: the classic "allow all" that a cache or an attacker can exploit. */
const reflect = (credentials: boolean): Cors => (req) => {
  const origin = req.headers.origin;
  const lines: (readonly [string, string])[] = origin === undefined ? [] : [['Access-Control-Allow-Origin', origin]];
  if (credentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  return lines;
};

/** A naive router: GET streams, any other method (OPTIONS included) is a 404 that no CORS middleware saw. */
function getOnly(handle: Handler): Handler {
  return (req, res, ctx) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      handle(req, res, ctx);
      return;
    }
    reply(res, 404, [['Content-Type', 'text/plain; charset=utf-8']], `Cannot ${req.method ?? 'request'} ${requestUrl(req, ctx).pathname}\n`);
  };
}

/** A GET-only SSE route sending the given CORS lines on top of its (by default correct) stream headers. */
function sse(cors: Cors, plan: PlanOptions | ((req: IncomingMessage, ctx: EndpointContext) => PlanOptions) = {}): Handler {
  return getOnly((req, res, ctx) => {
    const options = typeof plan === 'function' ? plan(req, ctx) : plan;
    stream(res, { ...options, headers: [...(options.headers ?? SSE_HEADERS), ...cors(req, ctx)] });
  });
}

/** A GET-only route that answers a fixed status with a JSON error body instead of a stream. */
function status(code: number, cors: Cors, headers: HeaderLines = JSON_TYPE, body = `{"error":${code}}`): Handler {
  return getOnly((req, res, ctx) => reply(res, code, [...headers, ...cors(req, ctx)], body));
}

interface PreflightAnswer {
  readonly status?: number;
  readonly origin?: 'allowlist' | 'none' | ((ctx: EndpointContext) => string);
  readonly credentials?: boolean;
  readonly methods?: string | null;
  readonly headers?: string | null;
  readonly extra?: HeaderLines;
}

/** An SSE route with its own OPTIONS handler; the GET stream carries `cors`. */
function preflighted(answer: PreflightAnswer, cors: Cors = allowPageWithCredentials): Handler {
  return (req, res, ctx) => {
    if (req.method === 'OPTIONS') {
      reply(res, answer.status ?? 204, preflightLines(req, ctx, answer));
      return;
    }
    sse(cors)(req, res, ctx);
  };
}

function preflightLines(req: IncomingMessage, ctx: EndpointContext, answer: PreflightAnswer): HeaderLines {
  const origin = answer.origin ?? 'allowlist';
  const lines: (readonly [string, string])[] = [];
  if (origin === 'allowlist') lines.push(...allowPageOrigin(req, ctx, answer.credentials ?? false));
  else if (typeof origin === 'function') {
    lines.push(['Access-Control-Allow-Origin', origin(ctx)]);
    if (answer.credentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  }
  const methods = answer.methods === undefined ? 'GET' : answer.methods;
  if (methods !== null) lines.push(['Access-Control-Allow-Methods', methods]);
  const headers = answer.headers === undefined ? API_KEY_AND_AUTHORIZATION : answer.headers;
  if (headers !== null) lines.push(['Access-Control-Allow-Headers', headers]);
  return [...lines, ...(answer.extra ?? [])];
}

/** Same-origin redirect on the API: the first request answers `code`, the `?hop=2` request streams. */
function redirectOnce(code: number, redirectCors: Cors): Handler {
  return getOnly((req, res, ctx) => {
    const url = requestUrl(req, ctx);
    if (url.searchParams.get('hop') === '2') {
      sse(allowPage)(req, res, ctx);
      return;
    }
    reply(res, code, [['Location', `${url.pathname}?hop=2`], ...redirectCors(req, ctx)]);
  });
}

/** API answers 302 (with correct CORS) to the second API origin, whose answer is `finalCors`. */
function redirectToApi2(finalCors: Cors): Handler {
  return getOnly((req, res, ctx) => {
    if (ctx.origin === ctx.api2Origin) {
      sse(finalCors)(req, res, ctx);
      return;
    }
    const url = requestUrl(req, ctx);
    reply(res, 302, [['Location', `${ctx.api2Origin}${url.pathname}`], ...allowPageOrigin(req, ctx, true)]);
  });
}

/**
 * A route a fetch sending X-API-Key reaches through a 307 from the API to API2. The API answers
 * its preflight for the page origin; API2 answers its own preflight and the stream with `cors`.
 */
function preflightedToApi2(cors: Cors): Handler {
  return (req, res, ctx) => {
    const onApi2 = ctx.origin === ctx.api2Origin;
    if (req.method === 'OPTIONS') {
      reply(res, 204, onApi2 ? [...cors(req, ctx), ['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Headers', 'X-API-Key']] : preflightLines(req, ctx, { headers: 'X-API-Key' }));
      return;
    }
    if (onApi2) {
      sse(cors)(req, res, ctx);
      return;
    }
    reply(res, 307, [['Location', `${ctx.api2Origin}${requestUrl(req, ctx).pathname}`], ...allowPage(req, ctx)]);
  };
}

/** First connection streams one event and ends; the reconnect (it carries Last-Event-ID) gets `code`. */
function failOnReconnect(code: number, body: string): Handler {
  return getOnly((req, res, ctx) => {
    if (req.headers['last-event-id'] !== undefined) {
      reply(res, code, [...JSON_TYPE, ...allowPage(req, ctx)], body);
      return;
    }
    stream(res, { headers: [...SSE_HEADERS, ...allowPage(req, ctx)], preamble: 'retry: 300\n', format: idEvent, endAfterEvents: 1 });
  });
}

const loopPlan = (retry: string | null): ((req: IncomingMessage) => PlanOptions) => (req) => ({
  preamble: retry === null ? undefined : `retry: ${retry}\n`,
  format: idEvent,
  firstSeq: lastEventId(req) + 1,
  endAfterEvents: 1,
});

const contentLengthBody = dataEvent(1) + dataEvent(2);

export const endpoints: readonly Endpoint[] = [
  // Controls: what a correct server sends. Every allowed origin comes from an exact-match allowlist.
  {
    id: 'control-wildcard',
    title: 'Wildcard origin, no credentials',
    description: 'Access-Control-Allow-Origin: * on a public stream. Works for any page as long as the client sends no credentials.',
    category: 'control',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(fixed(() => '*')),
  },
  {
    id: 'control-exact-origin',
    title: 'Exact origin from an allowlist',
    description: 'The server compares Origin with an allowlist and echoes it only on an exact match, with Vary: Origin.',
    category: 'control',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage),
  },
  {
    id: 'control-exact-origin-credentials',
    title: 'Exact origin with credentials',
    description: 'Allowlisted origin plus Access-Control-Allow-Credentials: true: a withCredentials EventSource and a credentialed fetch both open.',
    category: 'control',
    scenarios: ['eventsource', 'eventsource-credentials', 'fetch-credentials'],
    startOn: 'api',
    handle: sse(allowPageWithCredentials),
  },
  {
    id: 'control-preflight-api-key',
    title: 'Preflight allowing X-API-Key',
    description: 'OPTIONS answers 204 with the allowlisted origin, credentials, GET and X-API-Key, so a fetch client sending an API key passes its preflight.',
    category: 'control',
    scenarios: ['fetch-header', 'fetch-header-credentials'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: 'X-API-Key' }),
  },
  {
    id: 'control-preflight-authorization',
    title: 'Preflight allowing Authorization',
    description: 'OPTIONS lists Authorization by name in Access-Control-Allow-Headers, the only form that covers it once credentials are involved.',
    category: 'control',
    scenarios: ['fetch-authorization'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: 'Authorization' }),
  },
  {
    id: 'control-preflight-header-list',
    title: 'Preflight allowing a header list',
    description: 'Access-Control-Allow-Headers: X-API-Key, Authorization covers both custom headers in one comma-separated line.',
    category: 'control',
    scenarios: ['fetch-header', 'fetch-authorization'],
    startOn: 'api',
    handle: preflighted({ credentials: true }),
  },
  {
    id: 'control-same-origin',
    title: 'Same-origin stream without CORS headers',
    description: 'Served from the page origin with no Access-Control-* header at all: same-origin requests need none, not even for custom headers.',
    category: 'control',
    scenarios: ['eventsource', 'eventsource-credentials', 'fetch', 'fetch-header'],
    startOn: 'page',
    handle: sse(noCors),
  },
  {
    id: 'control-nginx-accel-buffering-off',
    title: 'nginx with X-Accel-Buffering: no',
    description: 'A stream behind nginx that turns proxy buffering off per response with X-Accel-Buffering: no, so events arrive as they are written.',
    category: 'control',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Server', 'nginx'], ['X-Accel-Buffering', 'no']] }),
  },

  // Access-Control-Allow-Origin faults.
  {
    id: 'acao-missing',
    title: 'No Access-Control-Allow-Origin',
    description: 'The stream is fine but carries no Access-Control-Allow-Origin, so a cross-origin page may not read it.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(noCors),
  },
  {
    id: 'acao-trailing-slash',
    title: 'Origin with a trailing slash',
    description: 'The allowed origin was copied from a URL and ends in "/"; origins never do, so it does not match.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(fixed((ctx) => `${ctx.pageOrigin}/`)),
  },
  {
    id: 'acao-uppercase-host',
    title: 'Origin with an upper-case host',
    description: 'The host is written in capitals; the comparison is byte for byte, so it does not match.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => originVariant(ctx.pageOrigin, (u) => `${u.protocol}//${u.hostname.toUpperCase()}${portSuffix(u)}`))),
  },
  {
    id: 'acao-uppercase-scheme',
    title: 'Origin with an upper-case scheme',
    description: 'HTTP:// instead of http://; browsers compare the serialized origin exactly, so the case matters.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => originVariant(ctx.pageOrigin, (u) => `${u.protocol.toUpperCase()}//${u.host}`))),
  },
  {
    id: 'acao-different-port',
    title: 'Origin with another port',
    description: 'The allowed origin names the page host on a different port (a dev server, a proxy), which is another origin.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => originVariant(ctx.pageOrigin, (u) => `${u.protocol}//${u.hostname}:${otherPort(u)}`))),
  },
  {
    id: 'acao-https-scheme',
    title: 'https origin for an http page',
    description: 'The allowlist holds the production https origin while the page runs on http; the scheme is part of the origin.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => originVariant(ctx.pageOrigin, (u) => `https://${u.host}`))),
  },
  {
    id: 'acao-literal-null',
    title: 'Access-Control-Allow-Origin: null',
    description: 'The literal string null matches only opaque origins (sandboxed frames, file:), never a normal page, and trusting it is itself a risk.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed(() => 'null')),
  },
  {
    id: 'acao-other-origin',
    title: 'Another site allowed',
    description: 'The server allows a different site (the production app) and not the page that is connecting.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(fixed(() => OTHER_ORIGIN)),
  },
  {
    id: 'acao-api-origin',
    title: "API's own origin allowed",
    description: 'The server names its own origin, a common mix-up between "where the API lives" and "who may call it".',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => ctx.origin)),
  },
  {
    id: 'acao-without-scheme',
    title: 'Origin without a scheme',
    description: 'host:port with no scheme is not an origin at all; Chromium reports it as an invalid value rather than a mismatch.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(fixed((ctx) => originVariant(ctx.pageOrigin, (u) => u.host))),
  },
  {
    id: 'acao-with-path',
    title: 'Origin with a path',
    description: 'The page URL was pasted in whole (/index.html included); an origin has no path, so it never matches.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => `${ctx.pageOrigin}/index.html`)),
  },
  {
    id: 'acao-empty-value',
    title: 'Empty Access-Control-Allow-Origin',
    description: 'The header is present with an empty value, as when a template variable for the origin is unset.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed(() => '')),
  },
  {
    id: 'acao-quoted',
    title: 'Quoted origin',
    description: 'The origin is wrapped in double quotes, as configuration files sometimes pass them through; quotes are part of the value.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => `"${ctx.pageOrigin}"`)),
  },
  {
    id: 'acao-two-identical-lines',
    title: 'Two identical Access-Control-Allow-Origin lines',
    description: 'Both the app and the proxy in front of it add the same header; two lines are rejected even when they agree.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(fixed((ctx) => ctx.pageOrigin, (ctx) => ctx.pageOrigin)),
  },
  {
    id: 'acao-two-different-lines',
    title: 'Two different Access-Control-Allow-Origin lines',
    description: 'One line names the page, a second names another site: the header may only carry one origin.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => ctx.pageOrigin, () => OTHER_ORIGIN)),
  },
  {
    id: 'acao-wildcard-and-origin-lines',
    title: 'Wildcard line plus origin line',
    description: 'A proxy adds * while the app adds the exact origin; the browser sees two values and rejects both.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed(() => '*', (ctx) => ctx.pageOrigin)),
  },
  {
    id: 'acao-comma-separated',
    title: 'Comma-separated origin list',
    description: 'The allowlist was written into the header as one comma-separated line; the header takes a single origin, not a list.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => `${ctx.pageOrigin}, ${OTHER_ORIGIN}`)),
  },
  {
    id: 'acao-space-separated',
    title: 'Space-separated origin list',
    description: 'The old CORS draft allowed a space-separated origin list; today a space makes the value invalid.',
    category: 'acao',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(fixed((ctx) => `${ctx.pageOrigin} ${OTHER_ORIGIN}`)),
  },
  {
    id: 'acao-wildcard',
    title: 'Wildcard with credentialed clients',
    description: 'Access-Control-Allow-Origin: * serves anonymous clients, but a withCredentials EventSource or a credentialed fetch is refused.',
    category: 'acao',
    scenarios: ['eventsource', 'eventsource-credentials', 'fetch-credentials'],
    startOn: 'api',
    handle: sse(fixed(() => '*')),
  },
  {
    id: 'acao-wildcard-with-acac',
    title: 'Wildcard plus Allow-Credentials: true',
    description: 'The server pairs * with Access-Control-Allow-Credentials: true, a combination the browser never accepts for credentialed requests.',
    category: 'acao',
    scenarios: ['eventsource', 'eventsource-credentials'],
    startOn: 'api',
    handle: sse(withLines(fixed(() => '*'), ['Access-Control-Allow-Credentials', 'true'])),
  },
  {
    id: 'acao-reflected-no-vary',
    title: 'Reflected origin without Vary',
    description: 'Any Origin is echoed back without Vary: Origin, so a shared cache can serve one origin\'s answer to another.',
    category: 'acao',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(reflect(false)),
  },
  {
    id: 'acao-reflected-credentials',
    title: 'Reflected origin with credentials',
    description: 'Any Origin is echoed with Access-Control-Allow-Credentials: true: it works, and it lets every site read the user\'s stream.',
    category: 'acao',
    scenarios: ['eventsource-credentials', 'fetch-credentials'],
    startOn: 'api',
    handle: sse(reflect(true)),
  },

  // Access-Control-Allow-Credentials faults (exact origin, credentialed clients).
  {
    id: 'acac-missing',
    title: 'Allow-Credentials missing',
    description: 'Exact origin but no Access-Control-Allow-Credentials: anonymous clients open, credentialed ones are refused.',
    category: 'credentials',
    scenarios: ['eventsource', 'eventsource-credentials', 'fetch-credentials'],
    startOn: 'api',
    handle: sse(allowPage),
  },
  {
    id: 'acac-capitalized',
    title: 'Allow-Credentials: True',
    description: 'The value must be exactly the lower-case string true; True (from a boolean printed by some languages) fails.',
    category: 'credentials',
    scenarios: ['eventsource-credentials', 'fetch-credentials'],
    startOn: 'api',
    handle: sse(withLines(allowPage, ['Access-Control-Allow-Credentials', 'True'])),
  },
  {
    id: 'acac-one',
    title: 'Allow-Credentials: 1',
    description: 'A truthy 1 is not true; the browser accepts only the exact string.',
    category: 'credentials',
    scenarios: ['eventsource-credentials'],
    startOn: 'api',
    handle: sse(withLines(allowPage, ['Access-Control-Allow-Credentials', '1'])),
  },
  {
    id: 'acac-false',
    title: 'Allow-Credentials: false',
    description: 'Sending false does not mean "no credentials needed"; a credentialed client is refused, an anonymous one ignores it.',
    category: 'credentials',
    scenarios: ['eventsource', 'eventsource-credentials'],
    startOn: 'api',
    handle: sse(withLines(allowPage, ['Access-Control-Allow-Credentials', 'false'])),
  },
  {
    id: 'acac-two-lines',
    title: 'Two Allow-Credentials lines',
    description: 'App and proxy both add Access-Control-Allow-Credentials: true; the combined value "true, true" is not true.',
    category: 'credentials',
    scenarios: ['eventsource-credentials'],
    startOn: 'api',
    handle: sse(withLines(allowPage, ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Credentials', 'true'])),
  },

  // Preflights: only fetch clients that add headers send them (an EventSource never does).
  {
    id: 'preflight-no-options-route',
    title: 'No OPTIONS route',
    description: 'The GET stream has correct CORS headers but OPTIONS falls through to a 404 without any, so every preflighted client fails while EventSource works.',
    category: 'preflight',
    scenarios: ['eventsource', 'fetch-header', 'fetch-authorization'],
    startOn: 'api',
    handle: sse(allowPageWithCredentials),
  },
  {
    id: 'preflight-401',
    title: 'Preflight rejected by auth middleware',
    description: 'Authentication runs before CORS and answers the credential-less OPTIONS with 401, even though its CORS headers are complete.',
    category: 'preflight',
    scenarios: ['fetch-authorization', 'fetch-header'],
    startOn: 'api',
    handle: preflighted({ status: 401, credentials: true, extra: [['WWW-Authenticate', 'Bearer realm="sse"'], ...JSON_TYPE] }),
  },
  {
    id: 'preflight-405',
    title: 'Preflight answered 405',
    description: 'The router only knows GET and answers OPTIONS 405 Method Not Allowed; a preflight needs a 2xx.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ status: 405, credentials: true, extra: [['Allow', 'GET, HEAD']] }),
  },
  {
    id: 'preflight-redirect',
    title: 'Preflight redirected',
    description: 'OPTIONS is redirected to a trailing-slash URL; browsers never follow a redirect on a preflight.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: (req, res, ctx) => {
      if (req.method !== 'OPTIONS') {
        sse(allowPageWithCredentials)(req, res, ctx);
        return;
      }
      const location = `${requestUrl(req, ctx).pathname}/`;
      reply(res, 301, [['Location', location], ...preflightLines(req, ctx, { credentials: true })]);
    },
  },
  {
    id: 'preflight-missing-allow-headers',
    title: 'Preflight without Allow-Headers',
    description: 'OPTIONS answers 204 with the origin and methods but no Access-Control-Allow-Headers, so the custom header is not allowed.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-authorization'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: null }),
  },
  {
    id: 'preflight-allow-headers-wildcard',
    title: 'Allow-Headers: * with credentials',
    description: 'Access-Control-Allow-Headers: * allows any header for anonymous requests, but with credentials it only allows a header literally named *.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-header-credentials'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: '*' }),
  },
  {
    id: 'preflight-authorization-wildcard-only',
    title: 'Authorization covered only by *',
    description: 'The spec says * never covers Authorization; browsers still allow it today with a deprecation warning, so this works until they enforce it.',
    category: 'preflight',
    scenarios: ['fetch-authorization', 'fetch-header'],
    startOn: 'api',
    handle: preflighted({ headers: '*' }, allowPage),
  },
  {
    id: 'preflight-invalid-allow-headers-token',
    title: 'Invalid token in Allow-Headers',
    description: 'Access-Control-Allow-Headers: X-API-Key; has a stray semicolon, which makes the whole header unparsable.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: 'X-API-Key;' }),
  },
  {
    id: 'preflight-invalid-allow-methods',
    title: 'Invalid token in Allow-Methods',
    description: 'Access-Control-Allow-Methods: GET, POST; has a stray semicolon; the preflight fails even though GET needs no listing.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ credentials: true, methods: 'GET, POST;' }),
  },
  {
    id: 'preflight-allow-methods-post-only',
    title: 'Allow-Methods without GET',
    description: 'Access-Control-Allow-Methods lists only POST; GET is a simple method and needs no listing, so this works.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ credentials: true, methods: 'POST' }),
  },
  {
    id: 'preflight-allow-headers-wrong-header',
    title: 'Allow-Headers names another header',
    description: 'Access-Control-Allow-Headers: Content-Type was copied from a JSON API and does not cover X-API-Key or Authorization.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-authorization'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: 'Content-Type' }),
  },
  {
    id: 'preflight-allow-headers-lower-case',
    title: 'Allow-Headers in lower case',
    description: 'x-api-key, authorization in lower case: header names compare case-insensitively, so this works.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-authorization'],
    startOn: 'api',
    handle: preflighted({ credentials: true, headers: 'x-api-key, authorization' }),
  },
  {
    id: 'preflight-options-without-acao',
    title: 'OPTIONS without Allow-Origin',
    description: 'OPTIONS allows the method and header but forgets Access-Control-Allow-Origin, which only the GET handler sets.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ origin: 'none' }),
  },
  {
    id: 'preflight-acao-mismatch',
    title: 'Preflight origin with a trailing slash',
    description: 'The OPTIONS handler has its own copy of the origin, with a trailing slash; the GET handler gets it right.',
    category: 'preflight',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflighted({ origin: (ctx) => `${ctx.pageOrigin}/` }),
  },
  {
    id: 'preflight-wildcard-origin-credentials',
    title: 'Preflight * with credentials',
    description: 'OPTIONS answers Access-Control-Allow-Origin: * with Allow-Credentials: true; a credentialed client fails at the preflight.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-header-credentials'],
    startOn: 'api',
    handle: preflighted({ origin: () => '*', credentials: true }),
  },
  {
    id: 'preflight-missing-acac',
    title: 'Preflight without Allow-Credentials',
    description: 'The GET carries Access-Control-Allow-Credentials: true but the OPTIONS answer does not, so a credentialed client fails at the preflight.',
    category: 'preflight',
    scenarios: ['fetch-header', 'fetch-header-credentials'],
    startOn: 'api',
    handle: preflighted({ credentials: false }),
  },

  // Status codes: an EventSource opens only on exactly 200.
  ...(
    [
      [401, 'Unauthorized', 'The stream requires a login'],
      [403, 'Forbidden', 'The user may not read this stream'],
      [404, 'Not Found', 'The stream path is wrong'],
      [500, 'Internal Server Error', 'The handler crashed'],
    ] as const
  ).flatMap(([code, text, cause]): Endpoint[] => [
    {
      id: `status-${code}-no-cors`,
      title: `${code} ${text} without CORS headers`,
      description: `${cause}, and the error path skips the CORS middleware: the browser reports a CORS error and hides the ${code} from the page.`,
      category: 'status',
      scenarios: ['eventsource', 'fetch'],
      startOn: 'api',
      handle: status(code, noCors),
    },
    {
      id: `status-${code}-cors`,
      title: `${code} ${text} with CORS headers`,
      description: `${cause}; the error carries CORS headers, so fetch sees the ${code} while EventSource fails without reconnecting.`,
      category: 'status',
      scenarios: ['eventsource', 'fetch'],
      startOn: 'api',
      handle: status(code, allowPage),
    },
  ]),
  {
    id: 'status-502-no-cors',
    title: '502 Bad Gateway from the proxy',
    description: 'The backend is down and nginx answers with its own HTML error page, which has no CORS headers.',
    category: 'status',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: status(502, noCors, [['Content-Type', 'text/html'], ['Server', 'nginx']], '<html><body><h1>502 Bad Gateway</h1></body></html>\n'),
  },
  {
    id: 'status-429-cors',
    title: '429 Too Many Requests',
    description: 'Rate limiting answers 429 with Retry-After; an EventSource treats it as fatal and does not retry.',
    category: 'status',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: status(429, withLines(allowPage, ['Retry-After', '30'])),
  },
  {
    id: 'status-204',
    title: '204 No Content',
    description: 'The spec\'s way for a server to tell an EventSource to stop: it closes and never reconnects. Intentional, not a bug.',
    category: 'status',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: getOnly((req, res, ctx) => reply(res, 204, allowPage(req, ctx))),
  },
  {
    id: 'status-201',
    title: '201 Created with a stream',
    description: 'A valid event stream sent with status 201; EventSource requires exactly 200, fetch reads it fine.',
    category: 'status',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { status: 201 }),
  },

  // Content-Type: an EventSource opens only on text/event-stream.
  ...(
    [
      ['mime-text-html', 'text/html; charset=utf-8', 'The framework default text/html was never replaced with text/event-stream.'],
      ['mime-application-json', 'application/json', 'The stream is labelled application/json, as a JSON API framework does by default.'],
      ['mime-octet-stream', 'application/octet-stream', 'The stream is labelled application/octet-stream, the generic binary type.'],
      ['mime-typo', 'text/event_stream', 'text/event_stream: an underscore instead of a hyphen.'],
    ] as const
  ).map(
    ([id, type, description]): Endpoint => ({
      id,
      title: `Content-Type: ${type}`,
      description: `${description} The body is a valid event stream, but EventSource refuses the type; fetch does not care.`,
      category: 'mime',
      scenarios: ['eventsource', 'fetch'],
      startOn: 'api',
      handle: sse(allowPage, { headers: [['Content-Type', type], ['Cache-Control', 'no-cache']] }),
    }),
  ),
  {
    id: 'mime-missing',
    title: 'No Content-Type',
    description: 'No Content-Type at all: the browser sniffs, so the EventSource stays CONNECTING until about 1 KB arrived (here after a few seconds), then fails as text/plain.',
    category: 'mime',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Cache-Control', 'no-cache']], format: paddedEvent(200) }),
  },
  {
    id: 'mime-charset-iso-8859-1',
    title: 'charset=iso-8859-1',
    description: 'Event streams are always UTF-8; Chromium fails a stream that declares another charset, Firefox ignores the parameter.',
    category: 'mime',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/event-stream; charset=iso-8859-1'], ['Cache-Control', 'no-cache']] }),
  },
  {
    id: 'mime-charset-utf8-uppercase',
    title: 'charset=UTF-8 in upper case',
    description: 'text/event-stream; charset=UTF-8: charset names are case-insensitive, so this works everywhere.',
    category: 'mime',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/event-stream; charset=UTF-8'], ['Cache-Control', 'no-cache']] }),
  },
  {
    id: 'mime-charset-quoted',
    title: 'Quoted charset',
    description: 'text/event-stream; charset="utf-8": a quoted parameter value is still utf-8.',
    category: 'mime',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/event-stream; charset="utf-8"'], ['Cache-Control', 'no-cache']] }),
  },
  {
    id: 'mime-mixed-case',
    title: 'Text/Event-Stream in mixed case',
    description: 'Text/Event-Stream; charset=utf-8: MIME types are case-insensitive, so this works.',
    category: 'mime',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'Text/Event-Stream; charset=utf-8'], ['Cache-Control', 'no-cache']] }),
  },
  // Chromium sniffs text/plain bodies: like a missing type, the outcome waits for about 1 KB, so these
  // two pad their events to decide within seconds instead of at the end of the stream.
  {
    id: 'mime-text-plain',
    title: 'Content-Type: text/plain',
    description: 'The stream is labelled text/plain. EventSource refuses the type (Chromium only after sniffing about 1 KB); fetch does not care.',
    category: 'mime',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Cache-Control', 'no-cache']], format: paddedEvent(200) }),
  },
  {
    id: 'mime-duplicate-content-type',
    title: 'Two Content-Type lines',
    description: 'The app sends text/event-stream and a proxy adds text/plain; the browser takes the last type from the combined value and refuses the stream.',
    category: 'mime',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Content-Type', 'text/plain']], format: paddedEvent(200) }),
  },

  // Redirects: every cross-origin hop is CORS-checked, and crossing between foreign origins taints Origin.
  {
    id: 'redirect-page-to-api',
    title: 'Page origin redirects to the API',
    description: 'The page origin answers 302 to the API, whose stream allows the page origin: the first hop is same-origin, so Origin stays the page origin and this works.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'page',
    handle: getOnly((req, res, ctx) => {
      if (ctx.origin !== ctx.pageOrigin) {
        sse(allowPage)(req, res, ctx);
        return;
      }
      reply(res, 302, [['Location', `${ctx.apiOrigin}${requestUrl(req, ctx).pathname}`]]);
    }),
  },
  {
    id: 'redirect-same-origin-with-acao',
    title: 'API redirect with Allow-Origin',
    description: 'The API answers 302 to another path on itself and the 302 carries Access-Control-Allow-Origin, so the redirect may be followed.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: redirectOnce(302, allowPage),
  },
  {
    id: 'redirect-same-origin-no-acao',
    title: 'API redirect without Allow-Origin',
    description: 'The 302 itself has no CORS headers; a cross-origin redirect is checked before it is followed, even to the same API.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: redirectOnce(302, noCors),
  },
  ...(
    [
      [301, 'Moved Permanently'],
      [303, 'See Other'],
      [307, 'Temporary Redirect'],
      [308, 'Permanent Redirect'],
    ] as const
  ).map(
    ([code, text]): Endpoint => ({
      id: `redirect-${code}`,
      title: `${code} ${text}`,
      description: `The API answers ${code} to another path on itself, with CORS headers on the redirect and on the stream.`,
      category: 'redirect',
      scenarios: ['eventsource'],
      startOn: 'api',
      handle: redirectOnce(code, allowPage),
    }),
  ),
  {
    id: 'redirect-api-to-api2-page-origin',
    title: 'API to API2, final allows the page origin',
    description: 'After a hop between two foreign origins the request Origin becomes null; the final server still allows the page origin, which no longer matches.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: redirectToApi2(fixed((ctx) => ctx.pageOrigin)),
  },
  {
    id: 'redirect-api-to-api2-wildcard',
    title: 'API to API2, final answers *',
    description: 'The final server answers *: fine for anonymous clients after the Origin turned null, refused for credentialed ones.',
    category: 'redirect',
    scenarios: ['eventsource', 'eventsource-credentials'],
    startOn: 'api',
    handle: redirectToApi2(fixed(() => '*')),
  },
  {
    id: 'redirect-api-to-api2-null',
    title: 'API to API2, final answers null',
    description: 'The final server answers null, which matches the tainted Origin: it works, but it trusts every opaque origin.',
    category: 'redirect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: redirectToApi2(fixed(() => 'null')),
  },
  {
    id: 'redirect-api-to-api2-reflected',
    title: 'API to API2, final reflects Origin',
    description: 'The final server echoes the Origin it received, which is null after the hop: it works, by trusting anything.',
    category: 'redirect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: redirectToApi2(reflect(false)),
  },
  {
    id: 'redirect-preflighted-api-to-api2-allowlist',
    title: 'Preflighted fetch, API to API2 with an allowlist',
    description:
      'A fetch sending X-API-Key is redirected (307) to a second API whose allowlist holds the page origin. After the hop Chromium sends the new preflight with Origin: null and is refused there; Firefox sends the preflight with the page origin, passes it, and is refused on the stream, whose Origin is null.',
    category: 'redirect',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflightedToApi2(allowPage),
  },
  {
    id: 'redirect-preflighted-api-to-api2-wildcard',
    title: 'Preflighted fetch, API to API2 answering *',
    description: 'The same redirected fetch with X-API-Key, where API2 answers its preflight and the stream with *: both browsers follow the hop, preflight again and open the stream.',
    category: 'redirect',
    scenarios: ['fetch-header'],
    startOn: 'api',
    handle: preflightedToApi2(fixed(() => '*')),
  },
  {
    id: 'redirect-loop',
    title: 'Redirect loop',
    description: 'Each answer redirects to the next hop with CORS headers; the browser gives up after 20 redirects.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: getOnly((req, res, ctx) => {
      const url = requestUrl(req, ctx);
      const hop = Number(url.searchParams.get('hop') ?? '0') || 0;
      // Bounded on the server too, for clients that do not count.
      if (hop >= 40) {
        reply(res, 508, [...JSON_TYPE, ...allowPage(req, ctx)], '{"error":"loop"}');
        return;
      }
      reply(res, 302, [['Location', `${url.pathname}?hop=${hop + 1}`], ...allowPage(req, ctx)]);
    }),
  },
  {
    id: 'redirect-http-to-https',
    title: 'Redirect to https where only http listens',
    description: 'An "always use https" rule redirects the stream to https on the same port, where the server speaks plain HTTP: the TLS handshake fails.',
    category: 'redirect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: getOnly((req, res, ctx) => {
      const target = originVariant(ctx.origin, (u) => `https://${u.host}`) + requestUrl(req, ctx).pathname;
      reply(res, 301, [['Location', target], ...allowPage(req, ctx)]);
    }),
  },

  // Streaming and deployment faults: headers and timing tell.
  {
    id: 'stream-gzip-unflushed',
    title: 'gzip without flushing',
    description: 'Compression middleware gzips the stream and never flushes: the EventSource opens and then receives nothing, with no error.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Content-Encoding', 'gzip']], body: 'gzip' }),
  },
  {
    id: 'stream-gzip-flushed',
    title: 'gzip flushed per event',
    description: 'The stream is gzipped but flushed after every event, so events arrive on time; compression is still better switched off for streams.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Content-Encoding', 'gzip']], body: 'gzip-flushed' }),
  },
  {
    id: 'stream-content-length',
    title: 'Content-Length on a stream',
    description: 'A Content-Length covering two events ends the body after them, and the EventSource reconnects after the default delay.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, {
      headers: [...SSE_HEADERS, ['Content-Length', String(Buffer.byteLength(contentLengthBody))]],
      endAfterEvents: 2,
    }),
  },
  {
    id: 'stream-headers-held-back',
    title: 'Headers held back for 10 s',
    description: 'The server writes nothing, not even headers, until its first event 10 s later; the EventSource sits in CONNECTING.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: getOnly((req, res, ctx) => {
      after(res, 10_000, () => stream(res, { headers: [...SSE_HEADERS, ...allowPage(req, ctx)], lifetimeMs: 10_000 }));
    }),
  },
  {
    id: 'stream-opened-silent',
    title: 'Opened, then silent',
    description: 'Headers are sent and then no byte at all: the EventSource is OPEN and never hears anything, the way a buffering proxy looks.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { firstEvent: false, tick: 'nothing' }),
  },
  {
    id: 'stream-no-cache-control',
    title: 'No Cache-Control',
    description: 'The stream works but sends no Cache-Control: no-cache, so an intermediary may cache or replay it.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/event-stream']] }),
  },
  {
    id: 'stream-cacheable',
    title: 'Cacheable stream',
    description: 'Cache-Control: public, max-age=60 invites a CDN to store the stream and hand the same bytes to every client.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [['Content-Type', 'text/event-stream'], ['Cache-Control', 'public, max-age=60']] }),
  },
  {
    id: 'stream-nginx-buffering',
    title: 'nginx without X-Accel-Buffering',
    description: 'Behind nginx with proxy buffering on (simulated): events reach the browser in 4 KB bursts every few seconds instead of one by one.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Server', 'nginx']], body: 'proxy-buffered', format: paddedEvent(512) }),
  },
  {
    id: 'stream-connection-keep-alive',
    title: 'Connection: keep-alive set by the app',
    description: 'The handler sets Connection: keep-alive itself, as many SSE snippets do; harmless on HTTP/1.1, forbidden in HTTP/2 and HTTP/3.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { headers: [...SSE_HEADERS, ['Connection', 'keep-alive']] }),
  },
  {
    id: 'stream-huge-event',
    title: 'One 256 KB event',
    description: 'The first event carries a 256 KB data line; it arrives whole but large events stall slow clients and proxies.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { format: (seq) => (seq === 1 ? paddedEvent(256 * 1024)(seq) : dataEvent(seq)) }),
  },
  {
    id: 'stream-bom-crlf',
    title: 'BOM and CRLF line endings',
    description: 'The body starts with a UTF-8 byte order mark and ends lines with CRLF; both are allowed, so this works.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { preamble: '\uFEFF', format: (seq) => `data: {"seq":${seq}}\r\n\r\n` }),
  },
  {
    id: 'stream-cr-line-endings',
    title: 'CR-only line endings',
    description: 'Lines end in a bare CR (classic Mac style); the format allows it, so this works.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { format: (seq) => `data: {"seq":${seq}}\r\r` }),
  },
  {
    id: 'stream-comment-heartbeat',
    title: 'Comment-only heartbeat',
    description: 'Only ": heartbeat" comment lines arrive: the connection stays healthy but comments never fire message events.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { firstEvent: false, tick: 'comment' }),
  },
  {
    id: 'stream-missing-blank-line',
    title: 'Events without a blank line',
    description: 'Each event ends in a single newline, so no event is ever terminated: data lines pile up and nothing is dispatched.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { format: (seq) => `data: {"seq":${seq}}\n` }),
  },
  {
    id: 'stream-missing-data-field',
    title: 'JSON lines without data:',
    description: 'The server writes raw JSON lines and a blank line but no "data:" field name; unknown fields are ignored, so no event fires.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { format: (seq) => `{"seq":${seq}}\n\n` }),
  },
  {
    id: 'stream-event-name-not-message',
    title: 'Named events only',
    description: 'Every event has "event: update"; onmessage only receives unnamed events, so a page listening for message sees none.',
    category: 'streaming',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { format: (seq) => `event: update\ndata: {"seq":${seq}}\n\n` }),
  },
  {
    id: 'stream-query-token',
    title: 'Token in the query string',
    description: 'EventSource cannot send Authorization, so the token travels as ?token=; it works and ends up in server, proxy and CDN logs.',
    category: 'streaming',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    query: 'token=demo',
    handle: getOnly((req, res, ctx) => {
      if (requestUrl(req, ctx).searchParams.get('token') !== 'demo') {
        reply(res, 401, [...JSON_TYPE, ...allowPage(req, ctx)], '{"error":"token required"}');
        return;
      }
      sse(allowPage)(req, res, ctx);
    }),
  },

  // Reconnect loops: the response ends, the EventSource comes back after its reconnection time.
  {
    id: 'reconnect-loop',
    title: 'Reconnect loop',
    description: 'Every response sends one event and ends; with retry: 300 the EventSource reconnects three times a second, for ever.',
    category: 'reconnect',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, loopPlan('300')),
  },
  {
    id: 'reconnect-default-retry',
    title: 'Reconnect loop at the default delay',
    description: 'Every response sends one event and ends, with no retry field: the browser waits its default delay (about 3 s in Chromium, 5 s in Firefox).',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, loopPlan(null)),
  },
  {
    id: 'reconnect-retry-too-short',
    title: 'retry: 50',
    description: 'retry: 50 asks for a reconnect every 50 ms after each short response: a self-inflicted load test (Firefox clamps it to 500 ms).',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, loopPlan('50')),
  },
  {
    id: 'reconnect-retry-invalid',
    title: 'retry: 1s',
    description: 'The retry field takes digits only; "1s" is ignored and the browser keeps its default delay.',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, loopPlan('1s')),
  },
  {
    id: 'reconnect-idle-timeout',
    title: 'Cut by an idle timeout',
    description: 'One event, then silence with no heartbeat, and the connection is ended after 2 s, the way a proxy idle timeout does (compressed from 60 s).',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, { tick: 'nothing', lifetimeMs: 2000 }),
  },
  {
    id: 'reconnect-resume-last-event-id',
    title: 'Resume from Last-Event-ID',
    description: 'Responses end after three events with ids; each reconnect sends Last-Event-ID and the server resumes after it. A deliberate, healthy loop.',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: sse(allowPage, (req) => ({ preamble: 'retry: 300\n', format: idEvent, firstSeq: lastEventId(req) + 1, endAfterEvents: 3 })),
  },
  {
    id: 'reconnect-then-503',
    title: 'Reconnect answered 503',
    description: 'The first response ends after one event; the reconnect gets 503 (with CORS headers) and the EventSource gives up for good.',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: failOnReconnect(503, '{"error":"unavailable"}'),
  },
  {
    id: 'reconnect-then-204',
    title: 'Reconnect answered 204',
    description: 'The first response ends after one event; the reconnect gets 204, the spec\'s way to stop a client for good. Intentional.',
    category: 'reconnect',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: failOnReconnect(204, ''),
  },

  // Network errors: the connection dies instead of the response ending.
  {
    id: 'network-destroy-before-headers',
    title: 'Connection closed before headers',
    description: 'The server closes the socket without answering (a crashed worker): an empty response, then reconnects.',
    category: 'network',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: (req) => {
      req.socket.destroy();
    },
  },
  {
    id: 'network-reset-before-headers',
    title: 'Connection reset before headers',
    description: 'The server resets the TCP connection (RST) without answering, as a crashing load balancer might.',
    category: 'network',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: (req) => {
      req.socket.resetAndDestroy();
    },
  },
  {
    id: 'network-destroy-after-first-event',
    title: 'Connection dropped after one event',
    description: 'The stream opens, delivers one event, then the connection dies without a proper end: a network error, then reconnects.',
    category: 'network',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { endAfterEvents: 1, ending: 'destroy' }),
  },
  {
    id: 'network-destroy-mid-event',
    title: 'Connection dropped mid-event',
    description: 'The connection dies halfway through the second event; the partial event is discarded.',
    category: 'network',
    scenarios: ['eventsource', 'fetch'],
    startOn: 'api',
    handle: sse(allowPage, { endAfterEvents: 2, ending: 'destroy', format: (seq) => (seq === 1 ? dataEvent(seq) : 'data: {"seq":2,"tr') }),
  },
  {
    id: 'network-no-response',
    title: 'Request never answered',
    description: 'The server accepts the request and never answers (an overloaded upstream) until it drops the connection after 20 s.',
    category: 'network',
    scenarios: ['eventsource'],
    startOn: 'api',
    handle: (_req, res) => {
      after(res, 20_000, () => res.destroy());
    },
  },
];

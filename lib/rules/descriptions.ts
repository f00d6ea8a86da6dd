/**
 * What each rule checks and why, in a paragraph, keyed by rule id. Kept apart from the rules so
 * that the panel's first load does not carry prose only the SARIF export and the docs use.
 */
export const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'acac-invalid':
    'A request with credentials (EventSource `withCredentials: true`, fetch `credentials: "include"`) is readable only when the response also sends `Access-Control-Allow-Credentials: true`, exactly that lower-case word.',
  'acao-invalid-value':
    'Access-Control-Allow-Origin must be `*`, `null` or a serialized origin such as `https://app.example` (scheme, host and optional port). A bare host name or any other text is not an origin, and the browser blocks the stream.',
  'acao-mismatch':
    'The browser compares Access-Control-Allow-Origin with the serialized request origin byte for byte: no trailing slash, no path, lower-case scheme and host, the exact port. Any other value blocks the stream.',
  'acao-missing-on-error-response':
    'When a 401, 403, 404 or 500 answer lacks Access-Control-Allow-Origin, the browser reports a CORS error instead of the status, and the page never learns what went wrong. Error handlers and auth middleware often answer before the CORS middleware runs.',
  'acao-missing-on-redirect':
    'A redirect (3xx) answering a cross-origin request is CORS-checked before the browser follows it, so it needs Access-Control-Allow-Origin itself, even when it points back to the page origin. Redirects added by a proxy, a load balancer or an auth layer usually lack it.',
  'acao-missing':
    'A cross-origin stream must answer with Access-Control-Allow-Origin naming the page origin (or `*` without credentials); without it the browser blocks the stream at the handshake.',
  'acao-multiple-values':
    'Access-Control-Allow-Origin takes exactly one origin (or `*`), sent once. Two header lines (typically the application and a reverse proxy both adding it) or a list of allowed origins in one line block the stream in every browser.',
  'acao-wildcard-with-credentials':
    'With credentials (EventSource `withCredentials: true`, fetch `credentials: "include"`) the wildcard `*` is refused: the server must echo the exact page origin from an allowlist and send Access-Control-Allow-Credentials: true.',
  'cache-control-no-cache-missing':
    'Without `Cache-Control: no-cache` (or no-store) intermediaries and service workers may cache the stream, replay a stale one or hold it back. Adding `no-transform` also stops proxies and compression middleware from rewriting (and buffering) it.',
  'charset-not-utf8':
    'Event streams are always UTF-8. Chromium fails an EventSource whose Content-Type names any other charset; Firefox ignores the parameter and decodes UTF-8 anyway, so the stream works in one browser only.',
  'connection-header-on-http2':
    'HTTP/2 and HTTP/3 forbid connection-specific header fields (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade): a message carrying them is malformed, and strict clients, proxies and CDNs reset the stream. Usually an HTTP/1.1 app behind an HTTP/2 front end that copies its headers through.',
  'connection-limit-per-host':
    'Over HTTP/1.1 a browser opens at most 6 connections per host, shared by every tab of the profile. Each open stream holds one for good, so a 7th stream (or any other request to that host) waits until one closes. HTTP/2 multiplexes streams on one connection.',
  'content-encoding-on-stream':
    'Compression middleware (gzip, br, zstd) collects output until its buffer fills unless it flushes after every event. Observed in both browsers: an unflushed gzip stream opens and then delivers no event and no error, looking healthy while silent.',
  'content-length-on-stream':
    'A stream has no length. With Content-Length the body ends after that many bytes: an EventSource then reconnects (a loop, if every response does it) and a fetch stream simply ends. Usually a framework or proxy that buffered the body to measure it.',
  'content-type-not-event-stream':
    'EventSource opens only a 200 response whose MIME type is `text/event-stream`; anything else fails the connection for good. Without a Content-Type the browser sniffs, waits for about 1 KB, then fails as text/plain.',
  'heartbeat-missing':
    'Proxies and load balancers close connections that stay idle for their timeout (commonly 30-100 s). A stream with long gaps between events and no comment lines will be cut, and the EventSource reconnects. A comment line (`: ping`) every 15 s keeps it alive and costs nothing: clients ignore comments.',
  'local-network-access':
    'Chromium 142+ (Local Network Access) asks the user before a public page reaches a private or loopback address (and before a local page reaches loopback); if the user declines, the request fails with LocalNetworkAccessPermissionDenied. Only secure contexts can ask. The old Private Network Access preflight headers (Access-Control-Allow-Private-Network) fix nothing any more.',
  'mixed-content-stream':
    'A page served over https may not open an http:// stream: both browsers block it as mixed content before any request is sent, and a redirect to http:// is blocked the same way. Loopback hosts (localhost, 127.0.0.0/8, [::1]) are potentially trustworthy and exempt.',
  'null-origin-trusted':
    'A probe with `Origin: null` got `null` back. Any website can make its requests carry `null` (a sandboxed iframe, a data: URL, a cross-origin redirect), so trusting `null` trusts everyone.',
  'origin-any-subdomain-trusted':
    'A probe from an arbitrary, made-up subdomain of the trusted host was trusted: a cross-site scripting bug or a dangling DNS record on any subdomain is then enough to read the stream.',
  'origin-http-downgrade-trusted':
    'A probe from the plain-http version of the trusted https origin was trusted: an attacker on the network (public Wi-Fi) can inject script into the http page and read the stream from there.',
  'origin-pattern-too-loose':
    'Probes with look-alike origins that an attacker can register (the trusted host followed by another domain, preceded by other letters, or with a dot replaced) were trusted: the server checks origins with a prefix, a suffix or an unescaped regex instead of an exact comparison.',
  'origin-reflected-without-allowlist':
    'A probe with an arbitrary hostile Origin got that origin back in Access-Control-Allow-Origin: the server echoes the request Origin without checking an allowlist, so every website can read the stream; with Access-Control-Allow-Credentials: true it reads it as the logged-in user.',
  'preflight-authorization-only-by-wildcard':
    'The Fetch standard says `*` in Access-Control-Allow-Headers never covers Authorization. Chromium and Firefox still let it through today, Chromium with a deprecation issue and Firefox with a console warning; when they enforce the standard the stream will be blocked.',
  'preflight-header-not-allowed':
    'Every request header that is not CORS-safelisted (X-API-Key, Authorization, Last-Event-ID set by a fetch client, Content-Type: application/json) must be listed in the preflight\'s Access-Control-Allow-Headers (names compare case-insensitively). `*` covers them only when the request carries no credentials.',
  'preflight-invalid-allow-list':
    'Access-Control-Allow-Methods and Access-Control-Allow-Headers are comma-separated lists of HTTP tokens. One bad item (`GET POST` without a comma, a trailing `;`, a quoted name) makes the browser reject the whole preflight.',
  'preflight-method-not-allowed':
    'A fetch-based stream opened with a method other than GET, HEAD or POST needs that method listed in the preflight\'s Access-Control-Allow-Methods. Methods are compared case-sensitively, and fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT.',
  'preflight-redirect':
    'Browsers never follow a redirect on a CORS preflight: an OPTIONS answered with 301/302/307/308 (an http to https upgrade, a trailing-slash rewrite, a login redirect) blocks the stream, whatever headers the redirect carries.',
  'preflight-status-not-ok':
    'A CORS preflight must get an ok (2xx) status. Authentication middleware that runs before CORS answers the OPTIONS with 401, and routers without an OPTIONS route answer 404 or 405: the browser then blocks the stream even though the CORS headers are right.',
  'preflight-triggered-by-request-headers':
    'A cross-origin fetch-based stream that sets a request header outside the CORS safelist (Accept, Accept-Language, Content-Language, simple Content-Type, Range) or uses a method other than GET, HEAD or POST is preceded by an OPTIONS preflight the server must answer. EventSource never sends one.',
  'preflight-wildcard-with-credentials':
    'When the request carries credentials (cookies, `credentials: "include"`), `*` in Access-Control-Allow-Methods or Access-Control-Allow-Headers is not a wildcard but a literal name. It blocks the stream when something needed it, and is dead weight otherwise.',
  'proxy-buffering':
    'Reverse proxies (nginx `proxy_buffering`), CDNs and load balancers may collect a response before passing it on: the stream opens but events arrive late, in bursts or never, or the headers themselves are held back until the first event. nginx stops buffering a response that carries `X-Accel-Buffering: no`.',
  'reconnect-loop':
    'An EventSource re-establishes the connection whenever an open response ends or the network fails, after the reconnection time (Chromium 3 s, Firefox 5 s, or `retry:`). A server that ends every response, a proxy idle timeout or a failing network turns that into an endless loop: load on the server, and events lost between connections unless ids are sent.',
  'redirect-null-origin':
    'After a redirect from one foreign origin to another, the browser sends `Origin: null` (the Fetch standard taints the origin). The final server then has to answer `*` (without credentials) or `null`; echoing the page origin, which looks right, fails as a mismatch.',
  'retry-too-short':
    'The `retry:` field sets how long an EventSource waits before reconnecting. Below a second every dropped or ended stream turns into a burst of requests from every open client; Firefox clamps the delay to at least 500 ms, Chromium takes the value as sent.',
  'status-not-200':
    'EventSource opens only on status 200; any other status fails the connection for good (no reconnect). 204 No Content is the spec’s way for a server to stop a client. fetch-based clients see the status and must handle non-2xx themselves.',
  'token-in-query-string':
    'EventSource cannot send an Authorization header, so tokens end up in the query string, where server, proxy and CDN logs, browser history and Referer headers keep them. Prefer a cookie with `withCredentials` and credentialed CORS, or a short-lived single-use token.',
  'vary-origin-missing':
    'When Access-Control-Allow-Origin depends on the request (one origin from an allowlist, not `*`), the response must say `Vary: Origin`. Otherwise a CDN or shared cache may store the answer for one origin and serve it to another, which shows up as intermittent missing or mismatched Access-Control-Allow-Origin errors.',
};

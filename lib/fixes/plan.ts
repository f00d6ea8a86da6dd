/**
 * A fix, described once and independent of any server stack: what a correct SSE endpoint for
 * the observed stream must do. Platform renderers (./platforms) turn it into snippets, so every
 * snippet for every rule is a complete, allowlist-based handler filled in with what was seen.
 */
export interface ServerPlan {
  /** Path of the stream on its server, e.g. `/events`. */
  readonly path: string;
  /** Full URL of the stream as the page asked for it. */
  readonly streamUrl: string;
  /** Origins allowed to read the stream; empty when the page is same-origin. */
  readonly allowedOrigins: readonly string[];
  /** Send Access-Control-Allow-Credentials: true (cookies / withCredentials). */
  readonly credentials: boolean;
  /** Answer OPTIONS preflights for these non-safelisted methods and request headers. */
  readonly preflight: { readonly methods: readonly string[]; readonly headers: readonly string[] } | null;
  /** Seconds between comment heartbeats that keep proxies from closing idle streams. */
  readonly heartbeatSeconds: number;
  /** `retry:` to send first, in ms; null to leave the browser default. */
  readonly retryMs: number | null;
}

export type Platform =
  | 'express'
  | 'fastify'
  | 'nextjs'
  | 'nginx'
  | 'caddy'
  | 'apache'
  | 'go'
  | 'fastapi'
  | 'django'
  | 'spring'
  | 'aspnetcore';

export const PLATFORMS: readonly Platform[] = [
  'express', 'fastify', 'nextjs', 'nginx', 'caddy', 'apache', 'go', 'fastapi', 'django', 'spring', 'aspnetcore',
];

export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  express: 'Express',
  fastify: 'Fastify',
  nextjs: 'Next.js route handler',
  nginx: 'nginx',
  caddy: 'Caddy',
  apache: 'Apache httpd',
  go: 'Go net/http',
  fastapi: 'FastAPI',
  django: 'Django',
  spring: 'Spring',
  aspnetcore: 'ASP.NET Core',
};

export type SnippetLanguage = 'javascript' | 'typescript' | 'nginx' | 'caddyfile' | 'apache' | 'go' | 'python' | 'java' | 'csharp';

export interface Snippet {
  readonly platform: Platform;
  readonly language: SnippetLanguage;
  readonly code: string;
}

export interface Fix {
  readonly summary: string;
  readonly snippets: readonly Snippet[];
}

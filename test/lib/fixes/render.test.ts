import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform, type ServerPlan, type Snippet } from '@/lib/fixes/plan';
import { renderFix, renderSnippets } from '@/lib/fixes/render';
import { validateSnippet } from './snippet-validators';

const base: ServerPlan = {
  path: '/events',
  streamUrl: 'https://api.example/events',
  allowedOrigins: [],
  credentials: false,
  preflight: null,
  heartbeatSeconds: 15,
  retryMs: null,
};

const PLANS: Readonly<Record<string, ServerPlan>> = {
  'same-origin': { ...base, heartbeatSeconds: 20 },
  'cross-origin': { ...base, allowedOrigins: ['https://app.example'] },
  'credentials + preflight': {
    ...base,
    path: '/api/v1.2/stream',
    allowedOrigins: ['https://app.example', 'http://[::1]:5173'],
    credentials: true,
    preflight: { methods: ['PUT'], headers: ['X-API-Key', 'Authorization'] },
    heartbeatSeconds: 25,
  },
  retry: { ...base, allowedOrigins: ['https://app.example'], retryMs: 5000 },
  'hostile values': {
    ...base,
    path: "/ev'ents;$x",
    allowedOrigins: ['https://evil.example"; alert(1); "', 'https://nl.example\nadd_header X 1;', 'https://ok.example'],
    credentials: true,
    preflight: { methods: ['PU T'], headers: ['X-Foo$bar', 'X-Trace'] },
    heartbeatSeconds: Number.NaN,
  },
  'every origin rejected': { ...base, allowedOrigins: ['https://a b.example', 'file:///etc/passwd'] },
};

const PROXIES: readonly Platform[] = ['nginx', 'caddy', 'apache'];

/** How each platform spells "every N seconds" in its heartbeat timer. */
const HEARTBEAT: Readonly<Record<Platform, ((seconds: number) => string) | null>> = {
  express: (s) => `, ${s * 1000});`,
  fastify: (s) => `, ${s * 1000});`,
  nextjs: (s) => `, ${s * 1000});`,
  nginx: null,
  caddy: null,
  apache: null,
  go: (s) => `time.NewTicker(${s} * time.Second)`,
  fastapi: (s) => `asyncio.sleep(${s})`,
  django: (s) => `asyncio.sleep(${s})`,
  spring: (s) => `0, ${s}, TimeUnit.SECONDS`,
  aspnetcore: (s) => `TimeSpan.FromSeconds(${s})`,
};

/** The line that must guard every line that copies the request's Origin into the response. */
const MEMBERSHIP: Readonly<Partial<Record<Platform, string>>> = {
  express: 'allowedOrigins.has(origin)',
  fastify: 'allowedOrigins.has(origin)',
  nextjs: 'allowedOrigins.has(origin)',
  go: 'allowedOrigins[origin]',
  fastapi: 'origin in ALLOWED_ORIGINS',
  django: 'origin in ALLOWED_ORIGINS',
  aspnetcore: 'allowedOrigins.Contains(origin)',
};

const NO_CONTENT: Readonly<Record<Platform, string>> = {
  express: 'res.status(204)',
  fastify: 'reply.code(204)',
  nextjs: 'status: 204',
  nginx: 'return 204;',
  caddy: 'respond @preflight 204',
  apache: '[R=204,L]',
  go: 'http.StatusNoContent',
  fastapi: 'status_code=204',
  django: 'HttpResponse(status=204)',
  spring: 'addCorsMappings', // Spring's CorsProcessor answers preflights itself
  aspnetcore: 'Results.NoContent()',
};

const codeLines = (snippet: Snippet): string[] =>
  snippet.code.split('\n').filter((line) => !/^\s*(\/\/|#)/.test(line));

describe.each(Object.entries(PLANS))('%s plan', (_name, plan) => {
  const snippets = renderSnippets(plan);

  it.each(snippets.map((s) => [s.platform, s] as const))('%s snippet is valid in its language', async (_p, snippet) => {
    await validateSnippet(snippet);
  });

  it.each(snippets.map((s) => [s.platform, s] as const))('%s snippet streams correctly', (platform, snippet) => {
    const code = snippet.code;
    expect(code).not.toMatch(/Content-Length/i);
    if (PROXIES.includes(platform)) {
      expect(code).toContain('http://127.0.0.1:3000 (a placeholder');
      return;
    }
    expect(code).toContain('text/event-stream; charset=utf-8');
    expect(code).toContain('no-cache, no-transform');
    expect(code).toContain('X-Accel-Buffering');
    expect(code).toContain('heartbeat');
    const seconds = Number.isFinite(plan.heartbeatSeconds) ? plan.heartbeatSeconds : 15;
    expect(code).toContain(HEARTBEAT[platform]?.(seconds));
    if (plan.retryMs !== null) {
      expect(code).toContain(platform === 'spring' ? `reconnectTime(${plan.retryMs}L)` : `retry: ${plan.retryMs}\\n\\n`);
    } else {
      expect(code).not.toMatch(/retry:|reconnectTime/);
    }
  });

  it.each(snippets.map((s) => [s.platform, s] as const))('%s snippet answers CORS from an exact allowlist', (platform, snippet) => {
    const code = snippet.code;
    const lines = codeLines(snippet);
    if (plan.allowedOrigins.length === 0) {
      expect(code).not.toMatch(/Access-Control-|allowedOrigins/);
      return;
    }
    expect(code).toMatch(/vary.{0,30}origin/i);
    // Never a wildcard, never a pattern.
    expect(code).not.toMatch(/Access-Control-Allow-Origin\W+\*|allowedOrigins\("\*"|allowedOriginPatterns|"\*"/);
    expect(code).not.toMatch(/\{http\.request\.header\.Origin\}|Allow-Origin \$http_origin|Allow-Origin "?%\{/);
    const guard = MEMBERSHIP[platform];
    lines.forEach((line, i) => {
      if (!/Access-Control-Allow-Origin/.test(line) || /unset|hide_header|header_down/.test(line)) return;
      if (guard) {
        // The line setting ACAO from `origin` sits right inside the allowlist test.
        expect(lines.slice(Math.max(0, i - 2), i).some((l) => l.includes(guard)), line).toBe(true);
      } else if (platform === 'nginx') {
        expect(line).toMatch(/Access-Control-Allow-Origin \$sse_allowed_origin always;$/);
      } else {
        // Caddy and Apache send each listed origin as a constant, guarded by an exact comparison with it.
        const value = /Access-Control-Allow-Origin ("[^"]*")/.exec(line)?.[1];
        expect(value, line).toBeDefined();
        expect(plan.allowedOrigins.map((o) => JSON.stringify(o))).toContain(value);
      }
    });
    // Proxies strip the app's copy of every Access-Control-* header whatever the plan says.
    const setters = lines.filter((line) => !/unset|hide_header|header_down/.test(line)).join('\n');
    const credentials = platform === 'spring' ? 'allowCredentials(true)' : 'Access-Control-Allow-Credentials';
    if (plan.credentials) expect(setters).toContain(credentials);
    else expect(setters).not.toContain(credentials);
  });

  it.each(snippets.map((s) => [s.platform, s] as const))('%s snippet embeds only safe plan values', (_p, snippet) => {
    const safe = plan.allowedOrigins.filter((o) => /^[a-z]+:\/\/[a-z0-9.[\]:-]+$/.test(o));
    for (const origin of safe) expect(snippet.code).toContain(JSON.stringify(origin));
    const unsafe = plan.allowedOrigins.filter((o) => !safe.includes(o));
    // Comments may name a rejected value, with every risky character replaced; code never does.
    const code = codeLines(snippet).join('\n');
    for (const origin of unsafe) expect(code).not.toContain(origin.slice(0, 18));
    expect(snippet.code.match(/^\s*(\/\/|#) Skipped origin /gm) ?? []).toHaveLength(unsafe.length);
    expect(snippet.code).not.toMatch(/alert\(1\)|add_header X 1|X-Foo\$bar|PU T/);
    expect(snippet.code).not.toContain("ev'ents");
  });

  if (plan.preflight) {
    const preflight = plan.preflight;
    it.each(snippets.map((s) => [s.platform, s] as const))('%s snippet answers the preflight', (platform, snippet) => {
      const headers = preflight.headers.filter((h) => /^[A-Za-z0-9-]+$/.test(h));
      const methods = ['GET', ...preflight.methods.filter((m) => /^[A-Z]+$/.test(m))];
      const list = (values: string[]) => (platform === 'spring' ? values.map((v) => `"${v}"`).join(', ') : `"${values.join(', ')}"`);
      expect(snippet.code).toContain(list(methods));
      expect(snippet.code).toContain(list(headers));
      expect(snippet.code).toContain(NO_CONTENT[platform]);
    });
  }
});

describe('proxy snippets', () => {
  const plan = PLANS['credentials + preflight'] ?? base;
  const [nginx, caddy, apache] = renderSnippets(plan, PROXIES);

  it('nginx disables buffering, keeps the stream open and hides the app\'s CORS headers', () => {
    for (const directive of ['proxy_buffering off;', 'proxy_http_version 1.1;', 'proxy_set_header Connection "";', 'proxy_read_timeout 3600s;', 'proxy_hide_header Access-Control-Allow-Origin;']) {
      expect(nginx?.code).toContain(directive);
    }
    expect(nginx?.code).toMatch(/^# .*http \{\} level/);
    expect(nginx?.code).toContain('map $http_origin $sse_allowed_origin {\n    default "";\n    "https://app.example" "https://app.example";');
  });

  it('Caddy flushes at once and strips the app\'s CORS headers', () => {
    expect(caddy?.code).toContain('flush_interval -1');
    expect(caddy?.code).toContain('header_down -Access-Control-Allow-Origin');
  });

  it('Apache flushes packets and strips the app\'s CORS headers', () => {
    expect(apache?.code).toContain('flushpackets=on');
    expect(apache?.code).toContain('Header unset Access-Control-Allow-Origin');
    expect(apache?.code).toContain(`"expr=%{req:Origin} == 'https://app.example'"`);
  });
});

describe('Next.js snippet at run time', () => {
  it('streams with allowlisted CORS, answers the preflight and stops the heartbeat on cancel', async () => {
    const { transform } = await import('esbuild');
    const plan = { ...(PLANS['credentials + preflight'] ?? base), retryMs: 3000 };
    const [snippet] = renderSnippets(plan, ['nextjs']);
    const { code } = await transform(snippet?.code ?? '', { loader: 'ts', format: 'esm' });
    const dir = mkdtempSync(join(tmpdir(), 'sse-next-'));
    const file = join(dir, 'route.mjs');
    writeFileSync(file, code);
    const route = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      GET: (request: Request) => Response;
      OPTIONS: (request: Request) => Response;
    };
    rmSync(dir, { recursive: true, force: true });
    const request = (origin: string) => new Request('https://api.example/api/v1.2/stream', { headers: { Origin: origin } });

    const preflight = route.OPTIONS(request('http://[::1]:5173'));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://[::1]:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('X-API-Key, Authorization');

    const response = route.GET(request('https://app.example'));
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toBe('Origin');
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toBe('retry: 3000\n\n');
    // Cancelling clears the interval; a live timer would keep the worker from exiting cleanly.
    await reader?.cancel();

    const stranger = route.GET(request('https://evil.example'));
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull();
    expect(stranger.headers.get('vary')).toBe('Origin');
    await stranger.body?.cancel();
  });
});

describe('renderSnippets / renderFix', () => {
  it('renders one snippet per platform, in the order asked', () => {
    expect(renderSnippets(base).map((s) => s.platform)).toEqual(PLATFORMS);
    expect(renderSnippets(base, ['go', 'express']).map((s) => s.platform)).toEqual(['go', 'express']);
  });

  it('keeps the summary and renders the plan', () => {
    const fix = renderFix({ summary: 'Send ACAO from an allowlist.', plan: base }, ['django']);
    expect(fix.summary).toBe('Send ACAO from an allowlist.');
    expect(fix.snippets).toEqual([expect.objectContaining({ platform: 'django', language: 'python' })]);
  });

  it('keeps every snippet short', () => {
    for (const plan of Object.values(PLANS)) {
      for (const snippet of renderSnippets(plan)) expect(snippet.code.split('\n').length, snippet.platform).toBeLessThanOrEqual(60);
    }
  });
});

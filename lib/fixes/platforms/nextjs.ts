import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function nextjs(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const file = p.path === '/' ? 'app/route.ts' : `app${p.path.replace(/\/+$/, '')}/route.ts`;
  const headersOf = cors ? 'corsHeaders(request)' : 'new Headers()';
  return {
    platform: 'nextjs',
    language: 'typescript',
    code: lines(
      `// ${file}: an App Router route handler on the Node.js runtime.`,
      comments('//', p.warnings),
      'export const runtime = "nodejs";',
      'export const dynamic = "force-dynamic";',
      '',
      cors && [
        `const allowedOrigins = new Set<string>([${p.origins.map(quote).join(', ')}]);`,
        '',
        '// Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'function corsHeaders(request: Request): Headers {',
        '  const headers = new Headers({ Vary: "Origin" });',
        '  const origin = request.headers.get("origin");',
        '  if (origin !== null && allowedOrigins.has(origin)) {',
        '    headers.set("Access-Control-Allow-Origin", origin);',
        p.credentials && '    headers.set("Access-Control-Allow-Credentials", "true");',
        '  }',
        '  return headers;',
        '}',
        '',
      ],
      cors && p.preflight !== null && [
        'export function OPTIONS(request: Request): Response {',
        '  const headers = corsHeaders(request);',
        `  headers.set("Access-Control-Allow-Methods", ${quote(commaList(p.preflight.methods))});`,
        p.preflight.headers.length > 0 &&
          `  headers.set("Access-Control-Allow-Headers", ${quote(commaList(p.preflight.headers))});`,
        '  return new Response(null, { status: 204, headers });',
        '}',
        '',
      ],
      'export function GET(request: Request): Response {',
      '  const encoder = new TextEncoder();',
      '  let heartbeat: ReturnType<typeof setInterval> | undefined;',
      '  const body = new ReadableStream<Uint8Array>({',
      '    start(controller) {',
      p.retryMs !== null && `      controller.enqueue(encoder.encode("retry: ${p.retryMs}\\n\\n"));`,
      '      // Send each event as controller.enqueue(encoder.encode(`data: ${JSON.stringify(payload)}\\n\\n`)).',
      `      heartbeat = setInterval(() => controller.enqueue(encoder.encode(": heartbeat\\n\\n")), ${p.heartbeatSeconds * 1000});`,
      '      request.signal.addEventListener("abort", () => clearInterval(heartbeat));',
      '    },',
      '    cancel() {',
      '      clearInterval(heartbeat); // the client went away',
      '    },',
      '  });',
      `  const headers = ${headersOf};`,
      '  headers.set("Content-Type", "text/event-stream; charset=utf-8");',
      '  headers.set("Cache-Control", "no-cache, no-transform");',
      '  headers.set("X-Accel-Buffering", "no");',
      '  return new Response(body, { headers });',
      '}',
    ),
  };
}

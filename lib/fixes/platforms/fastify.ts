import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function fastify(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const path = quote(p.path);
  const cors = p.cors;
  const hook = cors ? '{ onRequest: allowCors }, ' : '';
  return {
    platform: 'fastify',
    language: 'javascript',
    code: lines(
      '// Assumes `const app = Fastify();` exists; do not also register @fastify/cors for this path.',
      comments('//', p.warnings),
      cors && [
        `const allowedOrigins = new Set([${p.origins.map(quote).join(', ')}]);`,
        '',
        '// An onRequest hook, so every answer on this path (errors included) carries CORS.',
        '// Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'function allowCors(request, reply, done) {',
        '  reply.header("Vary", "Origin");',
        '  const origin = request.headers.origin;',
        '  if (typeof origin === "string" && allowedOrigins.has(origin)) {',
        '    reply.header("Access-Control-Allow-Origin", origin);',
        p.credentials && '    reply.header("Access-Control-Allow-Credentials", "true");',
        '  }',
        '  done();',
        '}',
        '',
      ],
      cors && p.preflight !== null && [
        `app.options(${path}, ${hook}(request, reply) => {`,
        `  reply.header("Access-Control-Allow-Methods", ${quote(commaList(p.preflight.methods))});`,
        p.preflight.headers.length > 0 &&
          `  reply.header("Access-Control-Allow-Headers", ${quote(commaList(p.preflight.headers))});`,
        '  reply.code(204).send();',
        '});',
        '',
      ],
      `app.get(${path}, ${hook}(request, reply) => {`,
      '  // Take over the raw response: onSend hooks (compression) would otherwise buffer the stream.',
      '  reply.hijack();',
      '  reply.raw.writeHead(200, {',
      '    ...reply.getHeaders(),',
      '    "Content-Type": "text/event-stream; charset=utf-8",',
      '    "Cache-Control": "no-cache, no-transform",',
      '    "X-Accel-Buffering": "no",',
      '  });',
      '  reply.raw.flushHeaders();',
      p.retryMs !== null && `  reply.raw.write("retry: ${p.retryMs}\\n\\n");`,
      '  // Send each event as reply.raw.write(`data: ${JSON.stringify(payload)}\\n\\n`).',
      `  const heartbeat = setInterval(() => reply.raw.write(": heartbeat\\n\\n"), ${p.heartbeatSeconds * 1000});`,
      '  reply.raw.on("close", () => clearInterval(heartbeat));',
      '});',
    ),
  };
}

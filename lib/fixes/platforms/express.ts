import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function express(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const path = quote(p.path);
  const cors = p.cors;
  return {
    platform: 'express',
    language: 'javascript',
    code: lines(
      '// Assumes `const app = express();` exists. Do not mount compression() in front of this route.',
      comments('//', p.warnings),
      cors && [
        `const allowedOrigins = new Set([${p.origins.map(quote).join(', ')}]);`,
        '',
        '// Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'function allowCors(req, res) {',
        '  res.vary("Origin");',
        '  const origin = req.headers.origin;',
        '  if (typeof origin === "string" && allowedOrigins.has(origin)) {',
        '    res.setHeader("Access-Control-Allow-Origin", origin);',
        p.credentials && '    res.setHeader("Access-Control-Allow-Credentials", "true");',
        '  }',
        '}',
        '',
      ],
      cors && p.preflight !== null && [
        `app.options(${path}, (req, res) => {`,
        '  allowCors(req, res);',
        `  res.setHeader("Access-Control-Allow-Methods", ${quote(commaList(p.preflight.methods))});`,
        p.preflight.headers.length > 0 &&
          `  res.setHeader("Access-Control-Allow-Headers", ${quote(commaList(p.preflight.headers))});`,
        '  res.status(204).end();',
        '});',
        '',
      ],
      `app.get(${path}, (req, res) => {`,
      cors && '  allowCors(req, res); // first, so error answers from here on are readable too',
      '  res.status(200);',
      '  res.setHeader("Content-Type", "text/event-stream; charset=utf-8");',
      '  // no-transform also makes the compression middleware leave the stream alone.',
      '  res.setHeader("Cache-Control", "no-cache, no-transform");',
      '  res.setHeader("X-Accel-Buffering", "no");',
      '  res.flushHeaders(); // EventSource opens now, not at the first event',
      p.retryMs !== null && `  res.write("retry: ${p.retryMs}\\n\\n");`,
      '  // Send each event as res.write(`data: ${JSON.stringify(payload)}\\n\\n`); every write is flushed.',
      `  const heartbeat = setInterval(() => res.write(": heartbeat\\n\\n"), ${p.heartbeatSeconds * 1000});`,
      '  res.on("close", () => clearInterval(heartbeat));',
      '});',
    ),
  };
}

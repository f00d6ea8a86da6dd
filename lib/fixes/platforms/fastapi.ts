import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function fastapi(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  return {
    platform: 'fastapi',
    language: 'python',
    code: lines(
      '# Assumes `app = FastAPI()` exists; keep CORSMiddleware and GZipMiddleware off this path.',
      comments('#', p.warnings),
      'import asyncio',
      '',
      'from fastapi import Request',
      'from fastapi.responses import Response, StreamingResponse',
      '',
      cors && [
        `ALLOWED_ORIGINS = frozenset(${p.origins.length > 0 ? `{${p.origins.map(quote).join(', ')}}` : ''})`,
        '',
        '',
        '# Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'def cors_headers(request: Request) -> dict[str, str]:',
        '    headers = {"Vary": "Origin"}',
        '    origin = request.headers.get("origin")',
        '    if origin is not None and origin in ALLOWED_ORIGINS:',
        '        headers["Access-Control-Allow-Origin"] = origin',
        p.credentials && '        headers["Access-Control-Allow-Credentials"] = "true"',
        '    return headers',
        '',
        '',
      ],
      cors && p.preflight !== null && [
        `@app.options(${quote(p.path)})`,
        'async def events_preflight(request: Request) -> Response:',
        '    headers = cors_headers(request)',
        `    headers["Access-Control-Allow-Methods"] = ${quote(commaList(p.preflight.methods))}`,
        p.preflight.headers.length > 0 &&
          `    headers["Access-Control-Allow-Headers"] = ${quote(commaList(p.preflight.headers))}`,
        '    return Response(status_code=204, headers=headers)',
        '',
        '',
      ],
      `@app.get(${quote(p.path)})`,
      'async def events(request: Request) -> StreamingResponse:',
      '    async def stream():',
      p.retryMs !== null && `        yield "retry: ${p.retryMs}\\n\\n"`,
      '        # Send each event as: yield f"data: {json.dumps(payload)}\\n\\n"',
      '        # Starlette cancels this generator when the client disconnects, which stops the heartbeat.',
      '        while True:',
      '            yield ": heartbeat\\n\\n"  # the first one also gets the headers out at once',
      `            await asyncio.sleep(${p.heartbeatSeconds})`,
      '',
      `    headers = ${cors ? 'cors_headers(request)' : '{}'}`,
      '    headers["Cache-Control"] = "no-cache, no-transform"',
      '    headers["X-Accel-Buffering"] = "no"',
      '    return StreamingResponse(stream(), media_type="text/event-stream; charset=utf-8", headers=headers)',
    ),
  };
}

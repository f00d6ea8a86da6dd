import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function django(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const route = p.path.replace(/^\/+/, '');
  return {
    platform: 'django',
    language: 'python',
    code: lines(
      `# views.py; route it in urls.py with path(${quote(route)}, views.events). Serve over ASGI (Django 5+):`,
      '# async streaming then stops when the client disconnects. Keep GZipMiddleware and django-cors-headers off this path.',
      comments('#', p.warnings),
      'import asyncio',
      '',
      'from django.http import HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse',
      'from django.utils.cache import patch_vary_headers',
      '',
      cors && [
        `ALLOWED_ORIGINS = frozenset(${p.origins.length > 0 ? `{${p.origins.map(quote).join(', ')}}` : ''})`,
        '',
        '',
        '# Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'def with_cors(request, response):',
        '    patch_vary_headers(response, ["Origin"])',
        '    origin = request.headers.get("Origin")',
        '    if origin is not None and origin in ALLOWED_ORIGINS:',
        '        response["Access-Control-Allow-Origin"] = origin',
        p.credentials && '        response["Access-Control-Allow-Credentials"] = "true"',
        '    return response',
        '',
        '',
      ],
      'async def stream():',
      p.retryMs !== null && `    yield "retry: ${p.retryMs}\\n\\n"`,
      '    # Send each event as: yield f"data: {json.dumps(payload)}\\n\\n"',
      '    while True:',
      '        yield ": heartbeat\\n\\n"  # the first one also gets the headers out at once',
      `        await asyncio.sleep(${p.heartbeatSeconds})`,
      '',
      '',
      'async def events(request):',
      cors && p.preflight !== null && [
        '    if request.method == "OPTIONS":',
        '        response = HttpResponse(status=204)',
        `        response["Access-Control-Allow-Methods"] = ${quote(commaList(p.preflight.methods))}`,
        p.preflight.headers.length > 0 &&
          `        response["Access-Control-Allow-Headers"] = ${quote(commaList(p.preflight.headers))}`,
        '        return with_cors(request, response)',
      ],
      '    if request.method != "GET":',
      `        return ${cors ? 'with_cors(request, HttpResponseNotAllowed(["GET"]))' : 'HttpResponseNotAllowed(["GET"])'}`,
      '    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")',
      '    response["Cache-Control"] = "no-cache, no-transform"',
      '    response["X-Accel-Buffering"] = "no"',
      `    return ${cors ? 'with_cors(request, response)' : 'response'}`,
    ),
  };
}

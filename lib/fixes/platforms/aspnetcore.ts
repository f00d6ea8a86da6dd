import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function aspnetcore(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const path = quote(p.path);
  return {
    platform: 'aspnetcore',
    language: 'csharp',
    code: lines(
      '// Program.cs (minimal API), before app.Run(); assumes `var app = builder.Build();`.',
      '// Leave UseCors() and UseResponseCompression() off this path.',
      comments('//', p.warnings),
      cors && [
        `var allowedOrigins = new HashSet<string>(StringComparer.Ordinal) { ${p.origins.map(quote).join(', ')} };`,
        '',
        '// Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        'void AllowCors(HttpContext context)',
        '{',
        '    context.Response.Headers.Append("Vary", "Origin");',
        '    var origin = context.Request.Headers["Origin"].ToString();',
        '    if (allowedOrigins.Contains(origin))',
        '    {',
        '        context.Response.Headers["Access-Control-Allow-Origin"] = origin;',
        p.credentials && '        context.Response.Headers["Access-Control-Allow-Credentials"] = "true";',
        '    }',
        '}',
        '',
      ],
      cors && p.preflight !== null && [
        `app.MapMethods(${path}, new[] { "OPTIONS" }, (HttpContext context) =>`,
        '{',
        '    AllowCors(context);',
        `    context.Response.Headers["Access-Control-Allow-Methods"] = ${quote(commaList(p.preflight.methods))};`,
        p.preflight.headers.length > 0 &&
          `    context.Response.Headers["Access-Control-Allow-Headers"] = ${quote(commaList(p.preflight.headers))};`,
        '    return Results.NoContent();',
        '});',
        '',
      ],
      `app.MapGet(${path}, async (HttpContext context, CancellationToken aborted) =>`,
      '{',
      cors && '    AllowCors(context);',
      '    context.Response.ContentType = "text/event-stream; charset=utf-8";',
      '    context.Response.Headers["Cache-Control"] = "no-cache, no-transform";',
      '    context.Response.Headers["X-Accel-Buffering"] = "no";',
      '    await context.Response.WriteAsync(' + (p.retryMs !== null ? `"retry: ${p.retryMs}\\n\\n"` : '": connected\\n\\n"') + ', aborted);',
      '    await context.Response.Body.FlushAsync(aborted); // EventSource opens now, not at the first event',
      '    // Send each event as WriteAsync($"data: {payload}\\n\\n") followed by FlushAsync.',
      `    using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(${p.heartbeatSeconds}));`,
      '    try',
      '    {',
      '        // `aborted` is HttpContext.RequestAborted: it ends the loop when the client disconnects.',
      '        while (await heartbeat.WaitForNextTickAsync(aborted))',
      '        {',
      '            await context.Response.WriteAsync(": heartbeat\\n\\n", aborted);',
      '            await context.Response.Body.FlushAsync(aborted);',
      '        }',
      '    }',
      '    catch (OperationCanceledException)',
      '    {',
      '    }',
      '});',
    ),
  };
}

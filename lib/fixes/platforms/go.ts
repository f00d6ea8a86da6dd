import type { ServerPlan, Snippet } from '../plan';
import { commaList, comments, lines, quote, safePlan } from './common';

export function go(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  return {
    platform: 'go',
    language: 'go',
    code: lines(
      `// Register with http.HandleFunc(${quote(p.path)}, events); imports fmt, net/http, time.`,
      '// The server\'s WriteTimeout must be 0 (or long): it would cut the stream otherwise.',
      comments('//', p.warnings),
      cors && [
        `var allowedOrigins = map[string]bool{${p.origins.map((o) => `${quote(o)}: true`).join(', ')}}`,
        '',
      ],
      'func events(w http.ResponseWriter, r *http.Request) {',
      '\th := w.Header()',
      cors && [
        '\t// Exact-match allowlist: the Origin is echoed only when listed, never reflected blindly.',
        '\th.Add("Vary", "Origin")',
        '\tif origin := r.Header.Get("Origin"); allowedOrigins[origin] {',
        '\t\th.Set("Access-Control-Allow-Origin", origin)',
        p.credentials && '\t\th.Set("Access-Control-Allow-Credentials", "true")',
        '\t}',
      ],
      cors && p.preflight !== null && [
        '\tif r.Method == http.MethodOptions {',
        `\t\th.Set("Access-Control-Allow-Methods", ${quote(commaList(p.preflight.methods))})`,
        p.preflight.headers.length > 0 &&
          `\t\th.Set("Access-Control-Allow-Headers", ${quote(commaList(p.preflight.headers))})`,
        '\t\tw.WriteHeader(http.StatusNoContent)',
        '\t\treturn',
        '\t}',
      ],
      '\tif r.Method != http.MethodGet {',
      '\t\thttp.Error(w, "method not allowed", http.StatusMethodNotAllowed)',
      '\t\treturn',
      '\t}',
      '\tflusher, ok := w.(http.Flusher)',
      '\tif !ok {',
      '\t\thttp.Error(w, "streaming unsupported", http.StatusInternalServerError)',
      '\t\treturn',
      '\t}',
      '\th.Set("Content-Type", "text/event-stream; charset=utf-8")',
      '\th.Set("Cache-Control", "no-cache, no-transform")',
      '\th.Set("X-Accel-Buffering", "no")',
      '\tw.WriteHeader(http.StatusOK)',
      p.retryMs !== null && `\tfmt.Fprint(w, "retry: ${p.retryMs}\\n\\n")`,
      '\tflusher.Flush() // EventSource opens now, not at the first event',
      '\t// Send each event as fmt.Fprintf(w, "data: %s\\n\\n", payload) followed by flusher.Flush().',
      `\theartbeat := time.NewTicker(${p.heartbeatSeconds} * time.Second)`,
      '\tdefer heartbeat.Stop()',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase <-r.Context().Done(): // the client went away',
      '\t\t\treturn',
      '\t\tcase <-heartbeat.C:',
      '\t\t\tfmt.Fprint(w, ": heartbeat\\n\\n")',
      '\t\t\tflusher.Flush()',
      '\t\t}',
      '\t}',
      '}',
    ),
  };
}

import type { ServerPlan, Snippet } from '../plan';
import { HIDDEN_UPSTREAM_HEADERS, UPSTREAM, UPSTREAM_NOTE, commaList, comments, lines, quote, safePlan } from './common';

export function nginx(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  // add_header with an empty value sends nothing, so unlisted origins get no ACAO/ACAC at all.
  const corsHeaders = (indent: string): string[] => [
    `${indent}add_header Vary Origin always;`,
    `${indent}add_header Access-Control-Allow-Origin $sse_allowed_origin always;`,
    ...(p.credentials ? [`${indent}add_header Access-Control-Allow-Credentials $sse_allow_credentials always;`] : []),
  ];
  return {
    platform: 'nginx',
    language: 'nginx',
    code: lines(
      cors
        ? '# Two parts: the map blocks go at http {} level (a map is not allowed inside server {}), then the server {} block.'
        : '# A server {} block (same-origin stream: no CORS needed); merge the location into your own server.',
      `# ${UPSTREAM_NOTE}`,
      comments('#', p.warnings),
      cors && [
        '# Exact-match allowlist: the value is the listed origin itself, never the request header.',
        'map $http_origin $sse_allowed_origin {',
        '    default "";',
        ...p.origins.map((origin) => `    ${quote(origin)} ${quote(origin)};`),
        '}',
        p.credentials && [
          'map $sse_allowed_origin $sse_allow_credentials {',
          '    default "true";',
          '    "" "";',
          '}',
        ],
        '',
      ],
      'server {',
      '    listen 80;',
      '    server_name _;',
      '',
      `    location = ${p.path} {`,
      cors && p.preflight !== null && [
        '        if ($request_method = OPTIONS) {',
        ...corsHeaders('            '),
        `            add_header Access-Control-Allow-Methods ${quote(commaList(p.preflight.methods))} always;`,
        p.preflight.headers.length > 0 &&
          `            add_header Access-Control-Allow-Headers ${quote(commaList(p.preflight.headers))} always;`,
        '            return 204;',
        '        }',
      ],
      `        proxy_pass ${UPSTREAM};`,
      '        proxy_set_header Host $host;',
      '        proxy_http_version 1.1;',
      '        proxy_set_header Connection "";',
      '        # Pass each event on as it arrives; keep quiet streams open between heartbeats.',
      '        proxy_buffering off;',
      '        proxy_cache off;',
      '        gzip off;',
      `        proxy_read_timeout ${Math.max(3600, p.heartbeatSeconds * 4)}s;`,
      cors && [
        '        # CORS is answered here only: drop the app\'s copies so ACAO is never sent twice.',
        ...HIDDEN_UPSTREAM_HEADERS.map((header) => `        proxy_hide_header ${header};`),
        ...corsHeaders('        '),
      ],
      '    }',
      '}',
    ),
  };
}

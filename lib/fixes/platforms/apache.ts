import type { ServerPlan, Snippet } from '../plan';
import { HIDDEN_UPSTREAM_HEADERS, UPSTREAM, UPSTREAM_NOTE, commaList, comments, lines, quote, safePlan } from './common';

export function apache(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const preflight = cors ? p.preflight : null;
  // SafePlan paths hold only [A-Za-z0-9._~/-]; the dot is the one regex metacharacter among them.
  const pathRegex = `^${p.path.replace(/\./g, '\\.')}$`;
  const modules = ['mod_proxy', 'mod_proxy_http', 'mod_env', ...(cors ? ['mod_headers'] : []), ...(preflight ? ['mod_rewrite'] : [])];
  return {
    platform: 'apache',
    language: 'apache',
    code: lines(
      `# Inside your <VirtualHost>; needs ${modules.join(', ')}.`,
      `# ${UPSTREAM_NOTE}`,
      comments('#', p.warnings),
      preflight !== null && [
        '# Preflights are answered here (204) at translate time, before the request reaches the proxy.',
        'RewriteEngine On',
        'RewriteCond "%{REQUEST_METHOD}" "=OPTIONS"',
        `RewriteRule ${quote(pathRegex)} - [R=204,L]`,
        '',
      ],
      `<Location ${quote(p.path)}>`,
      `    ProxyPass ${quote(UPSTREAM + p.path)} flushpackets=on timeout=${Math.max(3600, p.heartbeatSeconds * 4)}`,
      `    ProxyPassReverse ${quote(UPSTREAM + p.path)}`,
      '    # mod_deflate would buffer the stream to compress it.',
      '    SetEnv no-gzip 1',
      cors && [
        '    # CORS is answered here only: drop the app\'s copies so ACAO is never sent twice.',
        ...HIDDEN_UPSTREAM_HEADERS.map((header) => `    Header unset ${header}`),
        '    # Exact-match allowlist: each listed origin is sent as a constant, never copied from the request.',
        '    # "always" puts them on error answers and the 204 preflight too.',
        '    Header always merge Vary Origin',
        ...p.origins.flatMap((origin) => {
          const condition = quote(`expr=%{req:Origin} == '${origin}'`);
          return [
            `    Header always set Access-Control-Allow-Origin ${quote(origin)} ${condition}`,
            ...(p.credentials ? [`    Header always set Access-Control-Allow-Credentials "true" ${condition}`] : []),
          ];
        }),
      ],
      preflight !== null && [
        `    Header always set Access-Control-Allow-Methods ${quote(commaList(preflight.methods))} "expr=%{REQUEST_METHOD} == 'OPTIONS'"`,
        preflight.headers.length > 0 &&
          `    Header always set Access-Control-Allow-Headers ${quote(commaList(preflight.headers))} "expr=%{REQUEST_METHOD} == 'OPTIONS'"`,
      ],
      '</Location>',
    ),
  };
}

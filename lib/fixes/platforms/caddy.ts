import type { ServerPlan, Snippet } from '../plan';
import { HIDDEN_UPSTREAM_HEADERS, UPSTREAM, UPSTREAM_NOTE, commaList, comments, lines, quote, safePlan } from './common';

export function caddy(plan: ServerPlan): Snippet {
  const p = safePlan(plan);
  const cors = p.cors;
  const upstream = UPSTREAM.replace(/^http:\/\//, '');
  return {
    platform: 'caddy',
    language: 'caddyfile',
    code: lines(
      '# Caddyfile site block: put the handle block into your own site.',
      `# ${UPSTREAM_NOTE}`,
      comments('#', p.warnings),
      'example.com {',
      `\t@sse path ${p.path}`,
      '\thandle @sse {',
      cors && [
        '\t\t# Exact-match allowlist: each listed origin is sent as a constant, never copied from the request.',
        '\t\theader +Vary Origin',
        ...p.origins.flatMap((origin, i) => [
          `\t\t@origin${i} header Origin ${quote(origin)}`,
          `\t\theader @origin${i} Access-Control-Allow-Origin ${quote(origin)}`,
          ...(p.credentials ? [`\t\theader @origin${i} Access-Control-Allow-Credentials true`] : []),
        ]),
      ],
      cors && p.preflight !== null && [
        '\t\t@preflight method OPTIONS',
        `\t\theader @preflight Access-Control-Allow-Methods ${quote(commaList(p.preflight.methods))}`,
        p.preflight.headers.length > 0 &&
          `\t\theader @preflight Access-Control-Allow-Headers ${quote(commaList(p.preflight.headers))}`,
        '\t\trespond @preflight 204',
      ],
      `\t\treverse_proxy ${upstream} {`,
      '\t\t\t# Flush every write at once instead of buffering the stream.',
      '\t\t\tflush_interval -1',
      cors && [
        '\t\t\t# CORS is answered here only: drop the app\'s copies so ACAO is never sent twice.',
        ...HIDDEN_UPSTREAM_HEADERS.map((header) => `\t\t\theader_down -${header}`),
      ],
      '\t\t}',
      '\t}',
      '}',
    ),
  };
}

import { parseDirectives } from '../model/headers';
import { defineRule, NO_FINDINGS } from './define';
import { streamResponseIndex } from './support/stream';

export default defineRule<'missing' | 'cacheable'>({
  id: 'cache-control-no-cache-missing',
  title: 'Stream response says Cache-Control: no-cache',
  failureTitle: 'Stream response lacks Cache-Control: no-cache',
  severity: 'warning',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cache-Control',
  messages: {
    missing: () => 'The stream response has no Cache-Control header: caches and proxies may store, replay or buffer it. Send `Cache-Control: no-cache, no-transform`.',
    cacheable: (d) =>
      `The stream response says \`Cache-Control: ${d.value}\`, without no-cache or no-store: caches may store or replay the stream.${d.noTransform ? '' : ' Add no-transform too, so proxies do not compress or rewrite it.'}`,
  },
  appliesTo: (context) => streamResponseIndex(context) !== null,
  check(context) {
    const index = streamResponseIndex(context) as number;
    const value = context.headers(index).get('cache-control');
    if (value === null) return [{ messageId: 'missing', data: {}, evidence: [context.responseHeaderEvidence(index, 'Cache-Control')] }];
    const directives = parseDirectives(value);
    if (directives.has('no-cache') || directives.has('no-store')) return NO_FINDINGS;
    const where = [context.responseHeaderEvidence(index, 'Cache-Control')];
    if (value === null) return [{ messageId: 'missing', data: {}, evidence: where }];
    return [{ messageId: 'cacheable', data: { value, noTransform: directives.has('no-transform') }, evidence: where }];
  },
  fix: () => ({ summary: 'Send `Cache-Control: no-cache, no-transform` on the stream response.' }),
});

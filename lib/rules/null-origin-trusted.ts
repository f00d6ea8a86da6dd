import type { OriginProbeKind } from '../model/record';
import { allowlistAdvice, hasAnsweredProbe, trustFindings } from '../security/probe-trust';
import { defineRule } from './define';

const KINDS: readonly OriginProbeKind[] = ['null'];

export default defineRule<'with-credentials' | 'without-credentials'>({
  id: 'null-origin-trusted',
  title: 'The server does not trust the `null` origin',
  failureTitle: 'The server answers `Access-Control-Allow-Origin: null`',
  severity: 'error',
  docsUrl: 'https://portswigger.net/web-security/cors#whitelisted-null-origin-value',
  messages: {
    'with-credentials': () =>
      'The server trusts `Origin: null` with `Access-Control-Allow-Credentials: true`: any website can read the user\'s stream from a sandboxed iframe.',
    'without-credentials': () =>
      'The server trusts `Origin: null`: any website can read this stream from a sandboxed iframe or a data: URL.',
  },
  requires: ['origin-probes'],
  appliesTo: (context) => hasAnsweredProbe(context.record, KINDS),
  check: (context) => trustFindings(context.record, KINDS),
  fix(context) {
    // After a hop between two foreign origins the browser itself sends `null` (browser-facts §1),
    // which may be why the server learned to trust it: removing the hop removes the need.
    const tainted = context.verdicts.chromium.requestOrigin === 'null' || context.verdicts.firefox.requestOrigin === 'null';
    const redirect = tainted
      ? ' This stream reaches its server through a cross-origin redirect, which is what makes the browser send `null`: point the page at the final URL directly.'
      : '';
    return { summary: `${allowlistAdvice(context.record)}${redirect}` };
  },
});

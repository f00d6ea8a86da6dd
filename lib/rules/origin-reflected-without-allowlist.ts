import type { OriginProbeKind } from '../model/record';
import { allowlistAdvice, hasAnsweredProbe, trustFindings } from '../security/probe-trust';
import { defineRule } from './define';

const KINDS: readonly OriginProbeKind[] = ['arbitrary'];

export default defineRule<'with-credentials' | 'without-credentials'>({
  id: 'origin-reflected-without-allowlist',
  title: 'The server answers only allowlisted origins',
  failureTitle: 'The server reflects any Origin into Access-Control-Allow-Origin',
  severity: 'error',
  docsUrl: 'https://portswigger.net/web-security/cors',
  messages: {
    'with-credentials': (d) =>
      `Origin \`${d.probeOrigin}\` was echoed with \`Access-Control-Allow-Credentials: true\`: any website can open this stream with \`withCredentials: true\` and read the user's events.`,
    'without-credentials': (d) =>
      `Origin \`${d.probeOrigin}\` was echoed back: the server trusts every origin, so any website can read this stream (and anything it gates by network location).`,
  },
  requires: ['origin-probes'],
  appliesTo: (context) => hasAnsweredProbe(context.record, KINDS),
  check: (context) => trustFindings(context.record, KINDS),
  fix: (context) => ({
    summary: `Stop echoing the request Origin. ${allowlistAdvice(context.record)}`,
  }),
});

import type { OriginProbeKind } from '../model/record';

/**
 * The hostile Origin values the CLI's `--probe-security` sends, derived from the page origin the
 * server is meant to trust. Each targets one way allowlists go wrong (browser-facts §7). Pure:
 * the CLI does the requests, the rules read the answers.
 */

export interface OriginProbeSpec {
  readonly kind: OriginProbeKind;
  readonly origin: string;
}

const ARBITRARY = 'https://evil.example';
// Used only when the trusted origin happens to be ARBITRARY itself.
const ARBITRARY_FALLBACK = 'https://attacker.example';
const PREFIX_TAIL = '.evil.example';
const SUFFIX_HEAD = 'evil';
const SUBDOMAIN_LABEL = 'sse-inspector-probe';

/** Host-derived probes only make sense for hostnames; an IP address has no subdomains or suffixes. */
function isIpAddress(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * The origin a browser would send for `candidate`, or null when no page could have it: the URL
 * parser rejects it (e.g. `evil10.0.0.1`, whose numeric last label forces IPv4 parsing) or it is opaque.
 */
function serialized(candidate: string): string | null {
  try {
    const origin = new URL(candidate).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function probeOrigins(trustedOrigin: string): OriginProbeSpec[] {
  const input = trustedOrigin.trim();
  // A page whose origin is opaque is itself `null`: probing with `null` would test nothing.
  const trusted = input === 'null' ? 'null' : serialized(input);
  const probes: OriginProbeSpec[] = [];
  const add = (kind: OriginProbeKind, candidate: string) => {
    const origin = candidate === 'null' ? 'null' : serialized(candidate);
    if (origin !== null && origin !== trusted && !probes.some((p) => p.origin === origin)) probes.push({ kind, origin });
  };

  add('arbitrary', trusted === ARBITRARY ? ARBITRARY_FALLBACK : ARBITRARY);
  // Sandboxed iframes, data: URLs and cross-origin redirect chains all send the literal `null`.
  add('null', 'null');

  // Unparseable, opaque or non-web input: only the host-independent probes are meaningful.
  if (trusted === null || trusted === 'null') return probes;
  const url = new URL(trusted);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return probes;

  const scheme = url.protocol;
  const host = url.hostname;
  // The attacker picks any port, so keep the trusted one: servers that compare host and port apart still match.
  const port = url.port ? `:${url.port}` : '';

  // `^https://app\.example\.com` with no end anchor, or startsWith() on the origin string.
  add('prefix', `${scheme}//${host}${PREFIX_TAIL}${port}`);
  if (!isIpAddress(host)) {
    // endsWith('app.example.com') without a leading dot.
    add('suffix', `${scheme}//${SUFFIX_HEAD}${host}${port}`);
    // `app.example.com` used as a regex: `.` matches any character. Lower-case `x`, because a
    // browser serializes hosts in lower case and that is the Origin a real attacker page sends.
    const dot = host.indexOf('.');
    if (dot > 0 && dot < host.length - 1) add('unescaped-dot', `${scheme}//${host.slice(0, dot)}x${host.slice(dot + 1)}${port}`);
    // `*.example.com`-style trust: one XSS on any subdomain reads the stream.
    add('subdomain', `${scheme}//${SUBDOMAIN_LABEL}.${host}${port}`);
  }
  // An http twin of an https origin: a network attacker can inject script into it.
  if (scheme === 'https:') add('http-downgrade', `http://${url.host}`);
  return probes;
}

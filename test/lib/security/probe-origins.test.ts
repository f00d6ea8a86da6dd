import { describe, expect, it } from 'vitest';
import { probeOrigins } from '@/lib/security/probe-origins';

const asMap = (trusted: string) => Object.fromEntries(probeOrigins(trusted).map((p) => [p.kind, p.origin]));

describe('probeOrigins', () => {
  it('derives every hostile origin for an https host', () => {
    expect(probeOrigins('https://app.example.com')).toEqual([
      { kind: 'arbitrary', origin: 'https://evil.example' },
      { kind: 'null', origin: 'null' },
      { kind: 'prefix', origin: 'https://app.example.com.evil.example' },
      { kind: 'suffix', origin: 'https://evilapp.example.com' },
      // Lower-case: browsers serialize hosts in lower case, so this is what an attacker page sends.
      { kind: 'unescaped-dot', origin: 'https://appxexample.com' },
      { kind: 'subdomain', origin: 'https://sse-inspector-probe.app.example.com' },
      { kind: 'http-downgrade', origin: 'http://app.example.com' },
    ]);
  });

  it('sends no http twin for an http origin', () => {
    expect(asMap('http://app.example.com')).toEqual({
      arbitrary: 'https://evil.example',
      null: 'null',
      prefix: 'http://app.example.com.evil.example',
      suffix: 'http://evilapp.example.com',
      'unescaped-dot': 'http://appxexample.com',
      subdomain: 'http://sse-inspector-probe.app.example.com',
    });
  });

  it('keeps a non-default port on host-derived probes and the http twin', () => {
    expect(asMap('https://app.example.com:8443')).toMatchObject({
      prefix: 'https://app.example.com.evil.example:8443',
      suffix: 'https://evilapp.example.com:8443',
      'unescaped-dot': 'https://appxexample.com:8443',
      subdomain: 'https://sse-inspector-probe.app.example.com:8443',
      'http-downgrade': 'http://app.example.com:8443',
    });
  });

  it('drops a port that becomes the default after the downgrade', () => {
    expect(asMap('https://app.example.com:80')['http-downgrade']).toBe('http://app.example.com');
  });

  it('normalizes a full URL, upper case and the default port to the origin', () => {
    expect(probeOrigins('HTTPS://App.Example.COM:443/page?q=1')).toEqual(probeOrigins('https://app.example.com'));
  });

  it('has no unescaped-dot probe for a dotless host', () => {
    expect(asMap('http://localhost:3000')).toEqual({
      arbitrary: 'https://evil.example',
      null: 'null',
      prefix: 'http://localhost.evil.example:3000',
      suffix: 'http://evillocalhost:3000',
      subdomain: 'http://sse-inspector-probe.localhost:3000',
    });
  });

  it('keeps only probes a browser could send for an IPv4 host', () => {
    expect(asMap('https://192.0.2.10')).toEqual({
      arbitrary: 'https://evil.example',
      null: 'null',
      prefix: 'https://192.0.2.10.evil.example',
      'http-downgrade': 'http://192.0.2.10',
    });
  });

  it('keeps only host-independent probes and the http twin for an IPv6 host', () => {
    expect(asMap('https://[2001:db8::1]:8443')).toEqual({
      arbitrary: 'https://evil.example',
      null: 'null',
      'http-downgrade': 'http://[2001:db8::1]:8443',
    });
  });

  it.each(['', 'not a url', 'app.example.com', 'file:///tmp/x.html', 'chrome-extension://abcdef', 'data:text/html,x'])(
    'falls back to host-independent probes for %j',
    (input) => {
      expect(probeOrigins(input)).toEqual([
        { kind: 'arbitrary', origin: 'https://evil.example' },
        { kind: 'null', origin: 'null' },
      ]);
    },
  );

  it('does not probe with the trusted origin itself', () => {
    expect(asMap('https://evil.example').arbitrary).toBe('https://attacker.example');
    expect(probeOrigins('null')).toEqual([{ kind: 'arbitrary', origin: 'https://evil.example' }]);
  });

  it('only returns serialized origins, each once', () => {
    for (const trusted of ['https://app.example.com:8443', 'http://a.b', 'https://xn--bcher-kva.example', 'https://192.0.2.1', 'https://x.y.z.co.uk']) {
      const probes = probeOrigins(trusted);
      expect(new Set(probes.map((p) => p.origin)).size).toBe(probes.length);
      for (const { origin } of probes) {
        if (origin !== 'null') expect(new URL(origin).origin).toBe(origin);
        expect(origin).not.toBe(new URL(trusted).origin);
      }
    }
  });
});

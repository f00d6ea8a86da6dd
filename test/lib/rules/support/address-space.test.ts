import { describe, expect, it } from 'vitest';
import { addressSpaceOf, isPotentiallyTrustworthyHost } from '@/lib/rules/support/address-space';

/** Host names as the URL parser serializes them (IPv4 normalized, IPv6 bracketed and compressed). */
const hostOf = (url: string) => new URL(url).hostname;

describe('address-space', () => {
  it.each([
    ['http://localhost/', 'loopback'],
    ['http://app.localhost/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0.0.0.0/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://10.1.2.3/', 'local'],
    ['http://172.31.0.1/', 'local'],
    ['http://192.168.0.1/', 'local'],
    ['http://169.254.169.254/', 'local'],
    ['http://100.64.0.1/', 'local'],
    ['http://printer.local./', 'local'],
    ['http://[fe80::1]/', 'local'],
    ['http://[fd00::1]/', 'local'],
    ['http://[::ffff:192.168.1.1]/', 'local'],
    ['http://172.32.0.1/', 'public'],
    ['http://8.8.8.8/', 'public'],
    ['http://[2001:db8::1]/', 'public'],
    ['http://[ff02::1]/', 'public'],
    ['https://api.test/', 'public'],
  ])('%s is %s', (url, space) => {
    expect(addressSpaceOf(hostOf(url))).toBe(space);
  });

  it('treats only loopback hosts as potentially trustworthy', () => {
    expect(['http://localhost/', 'http://127.0.0.9/', 'http://[::1]/'].map((u) => isPotentiallyTrustworthyHost(hostOf(u)))).toEqual([true, true, true]);
    expect(['http://0.0.0.0/', 'http://192.168.0.1/', 'http://api.test/'].map((u) => isPotentiallyTrustworthyHost(hostOf(u)))).toEqual([false, false, false]);
  });
});

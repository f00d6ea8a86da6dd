/**
 * Where a URL's host lives, as far as its name tells: the Local Network Access address spaces
 * (public → local → loopback) and the Secure Contexts notion of a potentially trustworthy host.
 * Only IP literals, `localhost` and mDNS `.local` names can be classified; any other name counts
 * as public because the record does not say what it resolved to.
 */

export type AddressSpace = 'public' | 'local' | 'loopback';

/** Higher is more private; LNA gates requests that go up this ladder. */
export const ADDRESS_SPACE_RANK: Readonly<Record<AddressSpace, number>> = { public: 0, local: 1, loopback: 2 };

export { parseUrl } from '../../model/origin';

function normalizedHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function ipv4Octets(host: string): number[] | null {
  // The URL parser has already normalized forms like `127.1` or `0x7f.0.0.1` to dotted decimal.
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function ipv4Space([a = 0, b = 0]: readonly number[]): AddressSpace {
  // 0.0.0.0 reaches the local machine on Linux and macOS; Chromium treats it as loopback.
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'local';
  // Carrier-grade NAT space: Chromium classifies it as local unless a policy overrides it.
  if (a === 100 && b >= 64 && b <= 127) return 'local';
  return 'public';
}

function ipv6Hextets(address: string): number[] | null {
  const parts = address.split('::');
  if (parts.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((hextet) => (/^[0-9a-f]{1,4}$/.test(hextet) ? parseInt(hextet, 16) : NaN)));
  const head = parse(parts[0] ?? '');
  const tail = parts.length === 2 ? parse(parts[1] ?? '') : [];
  const fill = parts.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return null;
  const hextets = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return hextets.length === 8 && hextets.every((h) => !Number.isNaN(h)) ? hextets : null;
}

function ipv6Space(hextets: readonly number[]): AddressSpace {
  const [first = 0, , , , , sixth = 0, seventh = 0, last = 0] = hextets;
  const leadingZeros = hextets.slice(0, 5).every((h) => h === 0);
  if (leadingZeros && sixth === 0 && seventh === 0 && last <= 1) return 'loopback';
  // IPv4-mapped addresses take the space of the IPv4 address they carry.
  if (leadingZeros && sixth === 0xffff) return ipv4Space([seventh >> 8, seventh & 0xff, last >> 8, last & 0xff]);
  // Chromium: everything outside ::1/128, 2000::/3 (global unicast) and ff00::/8 is local.
  if ((first & 0xe000) === 0x2000 || (first & 0xff00) === 0xff00) return 'public';
  return 'local';
}

// A page's streams share a few host names: classify each once.
const spaces = new Map<string, AddressSpace>();

export function addressSpaceOf(hostname: string): AddressSpace {
  let space = spaces.get(hostname);
  if (space === undefined) {
    space = classify(hostname);
    if (spaces.size >= 1024) spaces.clear();
    spaces.set(hostname, space);
  }
  return space;
}

function classify(hostname: string): AddressSpace {
  const host = normalizedHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.local')) return 'local';
  const octets = ipv4Octets(host);
  if (octets) return ipv4Space(octets);
  if (host.startsWith('[') && host.endsWith(']')) {
    const hextets = ipv6Hextets(host.slice(1, -1));
    return hextets ? ipv6Space(hextets) : 'public';
  }
  return 'public';
}

/** An IP literal or mDNS name in the local space: Chromium lets these through mixed content after an LNA grant. */
export function isLocalLiteral(hostname: string): boolean {
  // Only literals and `.local` names are ever classified local (see addressSpaceOf).
  return addressSpaceOf(hostname) === 'local';
}

/** Secure Contexts §3.2: loopback hosts are potentially trustworthy even over plain http. */
export function isPotentiallyTrustworthyHost(hostname: string): boolean {
  const host = normalizedHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return ipv4Octets(host)?.[0] === 127;
}

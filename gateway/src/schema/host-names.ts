// Kong's host/IP parsing (kong/tools/ip.lua normalize_ip and friends), used by the host, SNI and
// wildcard-host validators. Error strings are Kong's.

export interface NormalizedHost {
  type: 'ipv4' | 'ipv6' | 'name';
  host: string;
  port: number | null;
}

export type NormalizeResult = { ok: true; value: NormalizedHost } | { ok: false; error: string };

function hostnameType(name: string): NormalizedHost['type'] {
  const colons = (name.match(/:/g) ?? []).length;
  if (colons > 1) return 'ipv6';
  if (/^[\d.]+$/.test(name.replace(/:/g, ''))) return 'ipv4';
  return 'name';
}

function normalizeIpv4(address: string): NormalizeResult {
  const m = address.includes(':')
    ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d+)$/.exec(address)
    : /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return { ok: false, error: `invalid ipv4 address: ${address}` };
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return { ok: false, error: `invalid ipv4 address: ${address}` };
  let port: number | null = null;
  if (m[5] !== undefined) {
    port = Number(m[5]);
    if (port > 65535) return { ok: false, error: 'invalid port number' };
  }
  return { ok: true, value: { type: 'ipv4', host: octets.join('.'), port } };
}

function normalizeIpv6(address: string): NormalizeResult {
  let check = address;
  let port: number | null = null;
  const bracketed = /^\[([^\]]*)\](.*)$/.exec(address);
  if (bracketed) {
    check = bracketed[1];
    if (bracketed[2] !== '') {
      const p = /^:(\d*)$/.exec(bracketed[2]);
      if (!p) return { ok: false, error: 'invalid ipv6 address' };
      port = Number(p[1]);
      if (port > 65535) return { ok: false, error: 'invalid port number' };
    }
  }
  if (check.startsWith(':')) check = `0${check}`;
  if (check.endsWith(':')) check = `${check}0`;
  if (check.includes('::')) {
    const count = (check.match(/:/g) ?? []).length;
    check = check.replace('::', `:${'0:'.repeat(Math.max(0, 8 - count))}`);
  }
  const groups = check.split(':');
  if (groups.length !== 8 || !groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) {
    return { ok: false, error: `invalid ipv6 address: ${address}` };
  }
  const host = groups.map((g) => g.toLowerCase().padStart(4, '0')).join(':');
  return { ok: true, value: { type: 'ipv6', host, port } };
}

function checkHostname(address: string): NormalizeResult {
  let name = address;
  let port: number | null = null;
  const p = /:(\d+)$/.exec(address);
  if (p) {
    name = name.slice(0, -(p[1].length + 1));
    port = Number(p[1]);
    if (port > 65535) return { ok: false, error: 'invalid port number' };
  }
  if (!/^[\dA-Za-z\-._]+$/.test(name)) return { ok: false, error: `invalid hostname: ${address}` };
  const segments = name.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.endsWith('-') || (segment === '' && i !== segments.length - 1)) {
      return { ok: false, error: `invalid hostname: ${address}` };
    }
  }
  return { ok: true, value: { type: 'name', host: name, port } };
}

/** utils.normalize_ip: a hostname, IPv4 or IPv6 address with an optional port. */
export function normalizeIp(address: string): NormalizeResult {
  const type = hostnameType(address);
  if (type === 'ipv4') return normalizeIpv4(address);
  if (type === 'ipv6') return normalizeIpv6(address);
  return checkHostname(address);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(value: string): boolean {
  const m = IPV4.exec(value);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

function isIpv6(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(':')) return false;
  const result = normalizeIpv6(value);
  return result.ok && result.value.port === null;
}

export function isValidIp(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}

export function isValidIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash === -1) return isValidIp(value);
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIpv4(address)) return Number(bits) <= 32;
  if (isIpv6(address)) return Number(bits) <= 128;
  return false;
}

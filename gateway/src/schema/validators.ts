// Custom validators of kong/db/schema/typedefs.lua and kong/tools/http.lua, with Kong's messages.
// Each returns null when the value is acceptable.

import { isValidIp, isValidIpOrCidr, normalizeIp } from './host-names.js';
import { normalizePath } from './normalize-path.js';
import { compilePcre, PcreError } from './pcre.js';
import { parseSocketUrl } from './socket-url.js';

export function validateHost(host: string): string | null {
  const result = normalizeIp(host);
  if (!result.ok && result.error !== 'invalid port number') return `invalid value: ${host}`;
  if (!result.ok || result.value.port !== null) return 'must not have a port';
  return null;
}

export function validateHostWithOptionalPort(host: string): string | null {
  const result = normalizeIp(host);
  return result.ok ? null : result.error;
}

export function validateIp(ip: string): string | null {
  return isValidIp(ip) ? null : `not an ip address: ${ip}`;
}

export function validateIpOrCidr(value: string): string | null {
  return isValidIpOrCidr(value) ? null : `invalid ip or cidr range: '${value}'`;
}

const RFC3986_PATH = /^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/;

/** typedefs.path's validator; `code` tells which rule failed (route paths only honour "percent"). */
export function validatePathDetailed(path: string): { error: string; code: 'rfc3986' | 'percent' } | null {
  if (!RFC3986_PATH.test(path)) {
    return { error: `invalid path: '${path}' (characters outside of the reserved list of RFC 3986 found)`, code: 'rfc3986' };
  }
  const raw = path.replace(/%[0-9A-Fa-f]{2}/g, '___');
  const at = raw.indexOf('%');
  if (at !== -1) return { error: `invalid url-encoded value: '${raw.slice(at, at + 3)}'`, code: 'percent' };
  return null;
}

export function validatePath(path: string): string | null {
  return validatePathDetailed(path)?.error ?? null;
}

/** Route paths: prefix paths must be normalized, `~` paths must compile as PCRE. */
export function validateRouterPath(path: string): string | null {
  const detailed = validatePathDetailed(path);
  if (detailed?.code === 'percent') return detailed.error;
  if (!path.startsWith('~')) {
    const normalized = normalizePath(path);
    if (normalized !== path) return `non-normalized path, consider use '${normalized}' instead`;
    return null;
  }
  const regex = path.slice(1);
  try {
    compilePcre(regex, { anchored: true });
  } catch (err) {
    if (err instanceof PcreError) return `invalid regex: '${regex}' (PCRE returned: ${err.message})`;
    throw err;
  }
  return null;
}

/** Route header values: a `~*` value is a regex on the lower-cased header value, and must compile. */
export function validateHeaderConditionValue(value: string): string | null {
  if (!value.startsWith('~*')) return null;
  // The router lower-cases the whole configured value, regex included; validate what it runs.
  const regex = value.slice(2).toLowerCase();
  try {
    compilePcre(regex);
  } catch (err) {
    if (err instanceof PcreError) return `invalid regex: '${value.slice(2)}' (PCRE returned: ${err.message})`;
    throw err;
  }
  return null;
}

const UTF8_NAME = /^[A-Za-z0-9.\-_~\u0080-\u{10FFFF}]+$/u;

export function validateUtf8Name(name: string): string | null {
  if (UTF8_NAME.test(name)) return null;
  return `invalid value '${name}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`;
}

// Printable ASCII except ',' and '/', plus space and any non-ASCII character.
const TAG = /^[ !-+\-.0-~\u0080-\u{10FFFF}]+$/u;

export function validateTag(tag: string): string | null {
  if (TAG.test(tag)) return null;
  return `invalid tag '${tag}': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences`;
}

const HEADER_NAME = /^[a-zA-Z0-9\-_]+$/;

export function validateHeaderName(name: string): string | null {
  if (name === '') return 'no header name provided';
  if (HEADER_NAME.test(name)) return null;
  return `bad header name '${name}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`;
}

export function validateUrl(url: string): string | null {
  const parsed = parseSocketUrl(url);
  if (!parsed) return 'could not parse url. invalid url';
  if (parsed.host === undefined) return 'missing host in url';
  if (parsed.scheme === undefined) return 'missing scheme in url';
  return null;
}

export function validateSni(host: string): string | null {
  const result = normalizeIp(host);
  if (!result.ok && result.error !== 'invalid port number') return `invalid value: ${host}`;
  if (result.ok && result.value.type !== 'name') return 'must not be an IP';
  if (!result.ok || result.value.port !== null) return 'must not have a port';
  return null;
}

export function validateWildcardHost(input: string): string | null {
  let host = input;
  const idx = host.indexOf('*');
  if (idx !== -1) {
    if (idx !== 0 && idx !== host.length - 1) return 'wildcard must be leftmost or rightmost character';
    if (host.split('*').length - 1 > 1) return 'only one wildcard must be specified';
    host = host.replace('*', 'wildcard');
  }
  return validateSni(host);
}

/** Route hosts: wildcards are replaced before the host (with optional port) is checked. */
export function validateHostWithWildcards(host: string): string | null {
  return validateHostWithOptionalPort(host.replace(/\*/g, 'abc'));
}

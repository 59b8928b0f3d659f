// The URL arithmetic of Werkzeug 2.2 and gunicorn 20.1 that shows up in httpbin's bodies:
// how the query string becomes `args`, how the request path is decoded, and how `url` is rebuilt
// (quoted, then turned back into an IRI, so "é" shows as "\u00e9" but a space stays "%20").

import { domainToUnicode } from 'node:url';
import { pythonInt } from './python-parsing.js';

// Characters Werkzeug never quotes (RFC 3986 unreserved plus sub-delims other than & and =).
const ALWAYS_SAFE = new Set(
  Buffer.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~$!'()*+,;", 'latin1'),
);
const HEX = '0123456789abcdefABCDEF';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Python's `bytes.decode('utf-8', 'replace')` (keeps a BOM, like Python). */
export function decodeUtf8Replace(bytes: Uint8Array): string {
  return lenientUtf8.decode(bytes);
}

/** Python's `bytes.decode('utf-8')`, or undefined where Python would raise. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Werkzeug's `_unquote_to_bytes`: decodes %XX (either case) except bytes in `keepQuoted`; bad escapes stay literal. */
export function unquoteToBytes(input: Uint8Array, keepQuoted?: (byte: number) => boolean): Buffer {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const b = input[i];
    if (b === 0x25 && i + 2 < input.length && isHex(input[i + 1]) && isHex(input[i + 2])) {
      const value = parseInt(String.fromCharCode(input[i + 1], input[i + 2]), 16);
      if (!keepQuoted?.(value)) {
        out.push(value);
        i += 2;
        continue;
      }
    }
    out.push(b);
  }
  return Buffer.from(out);
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && HEX.includes(String.fromCharCode(b));
}

/** Werkzeug's `url_quote`: UTF-8 encode, then %XX every byte that is neither always-safe nor in `safe`. */
export function urlQuote(value: string | Uint8Array, safe: string): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const extra = new Set(Buffer.from(safe, 'latin1'));
  let out = '';
  for (const b of bytes) {
    out += ALWAYS_SAFE.has(b) || extra.has(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Werkzeug's `url_decode` (also used for urlencoded forms): `&`-separated, `+` is a space, UTF-8 with replacement. */
export function parseQueryPairs(raw: Uint8Array): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of splitBytes(raw, 0x26 /* & */)) {
    if (part.length === 0) continue;
    const eq = part.indexOf(0x3d /* = */);
    const key = eq === -1 ? part : part.subarray(0, eq);
    const value = eq === -1 ? Buffer.alloc(0) : part.subarray(eq + 1);
    pairs.push([unquotePlus(key), unquotePlus(value)]);
  }
  return pairs;
}

function unquotePlus(bytes: Buffer): string {
  const spaced = Buffer.from(bytes.map((b) => (b === 0x2b ? 0x20 : b)));
  return decodeUtf8Replace(unquoteToBytes(spaced));
}

function splitBytes(buf: Uint8Array, sep: number): Buffer[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === sep) {
      parts.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

/** Werkzeug's MultiDict semiflatten: one value → string, repeated key → array in arrival order. */
export function semiflatten(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const list = grouped.get(k);
    if (list) list.push(v);
    else grouped.set(k, [v]);
  }
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, values] of grouped) out[k] = values.length === 1 ? values[0] : values;
  return out;
}

/**
 * gunicorn's PATH_INFO as Werkzeug sees it: percent-decoded bytes read as UTF-8 with replacement.
 * A %2F therefore becomes a real "/" before routing, as it does behind gunicorn.
 */
export function decodeRequestPath(rawPath: string): string {
  return decodeUtf8Replace(unquoteToBytes(Buffer.from(rawPath, 'latin1')));
}

// uri_to_iri leaves quoted every ASCII byte that is not always-safe; it decodes the rest.
const keepQuotedForIri = (b: number): boolean => b < 0x80 && !ALWAYS_SAFE.has(b);

/** Werkzeug's `uri_to_iri` for one component: decode what is safe, keep invalid UTF-8 bytes as %XX. */
function componentToIri(component: string): string {
  const bytes = unquoteToBytes(Buffer.from(component, 'latin1'), keepQuotedForIri);
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = validUtf8SequenceLength(bytes, i);
    if (len === 0) {
      out += `%${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    } else {
      out += bytes.subarray(i, i + len).toString('utf8');
      i += len;
    }
  }
  return out;
}

// Length of the well-formed UTF-8 sequence at i (Unicode table 3-7), or 0 if there is none.
function validUtf8SequenceLength(b: Buffer, i: number): number {
  const b0 = b[i];
  if (b0 < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < b.length && b[j] >= lo && b[j] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * Werkzeug's `request.url`: scheme://host/ + quoted path (leading slashes dropped) + quoted query, as an IRI.
 * `rawQuery` is the undecoded query string (latin-1 string of the request bytes).
 */
export function werkzeugRequestUrl(scheme: string, host: string, decodedPath: string, rawQuery: string): string {
  const path = urlQuote(decodedPath.replace(/^\/+/, ''), '/:');
  const query = rawQuery ? urlQuote(Buffer.from(rawQuery, 'latin1'), ":&%=+$!*'(),") : '';
  return `${scheme}://${decodeNetloc(host)}/${componentToIri(path)}${query ? `?${componentToIri(query)}` : ''}`;
}

/**
 * Werkzeug's `BaseURL.decode_netloc` (part of uri_to_iri): the host is split from its port, a port that
 * is not an integer in 0..65535 is dropped ("a:80,b:81" → "a"), punycode labels are decoded.
 */
function decodeNetloc(netloc: string): string {
  const at = netloc.indexOf('@');
  const auth = at === -1 ? undefined : netloc.slice(0, at);
  const hostPort = at === -1 ? netloc : netloc.slice(at + 1);
  let host: string;
  let port: string | undefined;
  if (!hostPort.startsWith('[')) {
    const colon = hostPort.indexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    port = colon === -1 ? undefined : hostPort.slice(colon + 1);
  } else {
    const close = hostPort.indexOf(']');
    host = close === -1 ? hostPort : hostPort.slice(1, close);
    const rest = close === -1 ? '' : hostPort.slice(close + 1);
    port = rest.startsWith(':') ? rest.slice(1) : undefined;
  }
  let out = host
    .split('.')
    .map((label) => (/^xn--/i.test(label) && domainToUnicode(label)) || label)
    .join('.');
  if (out.includes(':')) out = `[${out}]`;
  const portNumber = port === undefined ? undefined : pythonInt(port);
  if (portNumber !== undefined && portNumber >= 0n && portNumber <= 65535n) out = `${out}:${portNumber}`;
  if (auth !== undefined) {
    const colon = auth.indexOf(':');
    const keep = (b: number) => '/:%@'.includes(String.fromCharCode(b));
    const unquote = (s: string) => decodeUtf8Replace(unquoteToBytes(Buffer.from(s, 'latin1'), keep));
    const credentials = [colon === -1 ? auth : auth.slice(0, colon), colon === -1 ? '' : auth.slice(colon + 1)]
      .map(unquote)
      .filter((s) => s !== '')
      .join(':');
    if (credentials) out = `${credentials}@${out}`;
  }
  return out;
}

/** Werkzeug's `get_host`: the Host header (or the server address) minus the scheme's default port. */
export function werkzeugHost(scheme: string, hostHeader: string | undefined, serverAddress: string): string {
  const host = hostHeader ?? serverAddress;
  if ((scheme === 'http' || scheme === 'ws') && host.endsWith(':80')) return host.slice(0, -3);
  if ((scheme === 'https' || scheme === 'wss') && host.endsWith(':443')) return host.slice(0, -4);
  return host;
}

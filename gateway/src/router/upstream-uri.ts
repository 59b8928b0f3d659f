// The path sent upstream, path_handling v0 (kong/router/utils.lua get_upstream_uri), and the
// escaping Kong applies before proxying (kong/tools/uri.lua escape).

/** Drops a leading `./` or `../` (or a bare `.`/`..`) left over after stripping the prefix. */
export function sanitizePostfix(postfix: string): string {
  if (postfix === '') return postfix;
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}

/**
 * @param base service.path, or '/' when null
 * @param stripPath the route's strip_path
 * @param strippedPrefix the matched path text when strip_path is on and the route matched on a path, else null
 * @param path the normalized request path
 */
export function composeUpstreamPath(base: string, stripPath: boolean, strippedPrefix: string | null, path: string): string {
  const postfix = sanitizePostfix(strippedPrefix !== null ? path.slice(strippedPrefix.length) : path.slice(1));
  const baseEndsWithSlash = base.endsWith('/');
  if (baseEndsWithSlash) {
    if (!stripPath) return base + path.slice(1);
    if (postfix === '') {
      if (base === '/') return '/';
      return path.endsWith('/') ? base : base.slice(0, -1);
    }
    return postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
  }
  if (!stripPath) return path === '/' ? base : base + path;
  if (postfix === '') return path.length > 1 && path.endsWith('/') ? `${base}/` : base;
  return postfix.startsWith('/') ? base + postfix : `${base}/${postfix}`;
}

// Kong's ESCAPE_PATTERN keeps these as they are: `!#$&'()*+,/:;=?@[]`, letters, digits, `-_.~%`.
const KEEP = new Uint8Array(128);
for (const c of "!#$&'()*+,/:;=?@[]-_.~%") KEEP[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) KEEP[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) KEEP[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) KEEP[c] = 1;

const HEX = '0123456789ABCDEF';

function percentEncodeUtf8(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}

/** Percent-encodes (UTF-8, upper-case hex) every character outside Kong's keep set. */
export function escapeUri(uri: string): string {
  let i = 0;
  while (i < uri.length) {
    const code = uri.charCodeAt(i);
    if (code >= 128 || KEEP[code] === 0) break;
    i++;
  }
  if (i === uri.length) return uri;
  let out = uri.slice(0, i);
  while (i < uri.length) {
    const code = uri.charCodeAt(i);
    if (code < 128 && KEEP[code] === 1) {
      out += uri[i];
      i++;
      continue;
    }
    // Keep a surrogate pair together so it encodes as one 4-byte UTF-8 sequence.
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < uri.length ? 2 : 1;
    out += percentEncodeUtf8(uri.slice(i, i + width));
    i += width;
  }
  return out;
}

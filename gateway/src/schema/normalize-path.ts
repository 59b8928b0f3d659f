// Kong's path normalisation (kong/tools/uri.lua `normalize(uri, true)`): the router matches on
// the normalised path, and prefix paths in routes must already be in this form.

// RFC 3986 reserved characters plus '%': they keep their meaning encoded, so they stay
// percent-encoded (with upper-case hex) instead of being decoded.
const RESERVED = new Set(Array.from("!*'();:@&=+$,/?%#[]", (c) => c.charCodeAt(0)));
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** Decodes one run of `%XX` triplets. Non-ASCII bytes decode only when they form valid UTF-8. */
function decodeRun(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i += 3) bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      out += RESERVED.has(b) ? `%${hex(b)}` : String.fromCharCode(b);
      i += 1;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    const seq = len > 0 ? bytes.slice(i, i + len) : [];
    const decoded = seq.length === len && len > 0 ? tryUtf8(seq) : null;
    if (decoded !== null) {
      out += decoded;
      i += len;
    } else {
      // Kong works on bytes; a JS string cannot hold a lone byte, so keep it encoded.
      out += `%${hex(b)}`;
      i += 1;
    }
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function tryUtf8(seq: number[]): string | null {
  try {
    return utf8.decode(Uint8Array.from(seq));
  } catch {
    return null;
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** Removes dot segments and merges duplicate slashes, following uri.lua's loop exactly. */
function removeDotSegments(input: string): string {
  const output: string[] = [];
  let uri = input;
  while (uri.length > 0) {
    if (uri === '/.') {
      uri = '/';
    } else if (uri === '/..') {
      uri = '/';
      output.pop();
    } else if (uri === '.' || uri === '..') {
      uri = '';
    } else if (uri.startsWith('../')) {
      uri = uri.slice(3);
    } else if (uri.startsWith('./')) {
      uri = uri.slice(2);
    } else if (uri.startsWith('/./')) {
      uri = uri.slice(2);
    } else if (uri.startsWith('/../')) {
      uri = uri.slice(3);
      output.pop();
    } else if (uri.startsWith('//')) {
      uri = uri.slice(1);
    } else {
      const next = uri.indexOf('/', 1);
      if (next === -1) {
        output.push(uri);
        uri = '';
      } else {
        output.push(uri.slice(0, next));
        uri = uri.slice(next);
      }
    }
  }
  return output.join('');
}

/**
 * Normalises a request or route path like Kong: percent-decode non-reserved characters
 * (reserved ones stay encoded with upper-case hex), remove dot segments, merge duplicate slashes.
 * The query string must already be removed.
 */
export function normalizePath(path: string): string {
  if (path === '' || path === '/') return path;
  let uri = path.includes('%') ? path.replace(PERCENT_RUN, decodeRun) : path;
  if (!uri.includes('.') && !uri.includes('//')) return uri;
  uri = removeDotSegments(uri);
  return uri;
}

// Query strings and form bodies the way OpenResty reads and writes them (ngx.decode_args,
// ngx.encode_args, kong.service.request.set_query), with Lua's view of the values: `a=1` is a
// string, a bare `a` is boolean true, a repeated name is an array.

/** ngx.req.get_uri_args(), get_post_args() and get_headers() stop after this many entries. */
export const MAX_ARGS = 100;

/** What one name holds, the way the Lua code sees it. */
export type ArgValue = string | true | Array<string | true>;

/** ngx.unescape_uri plus `+` → space, as ngx.decode_args decodes names and values. */
export function decodeArg(text: string): string {
  const plain = text.indexOf('+') === -1 ? text : text.replace(/\+/g, ' ');
  if (plain.indexOf('%') === -1) return plain;
  // Only well-formed %XX escapes decode; a stray `%` stays as it is.
  return plain.replace(/(?:%[0-9a-fA-F]{2})+/g, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8');
    }
  });
}

/** The name of one `&`-separated segment, or null for a segment ngx.decode_args skips. */
function segmentName(segment: string): string | null {
  const eq = segment.indexOf('=');
  const name = decodeArg(eq === -1 ? segment : segment.slice(0, eq));
  return name === '' ? null : name;
}

/** ngx.decode_args: `a=1` → string, `a` → true, a repeated name → array, at most MAX_ARGS args. */
export function parseArgs(text: string): Map<string, ArgValue> {
  const args = new Map<string, ArgValue>();
  if (text === '') return args;
  let count = 0;
  for (const segment of text.split('&')) {
    if (segment === '') continue;
    if (++count > MAX_ARGS) break;
    const eq = segment.indexOf('=');
    const name = decodeArg(eq === -1 ? segment : segment.slice(0, eq));
    if (name === '') continue;
    const value: string | true = eq === -1 ? true : decodeArg(segment.slice(eq + 1));
    const previous = args.get(name);
    if (previous === undefined) args.set(name, value);
    else if (Array.isArray(previous)) previous.push(value);
    else args.set(name, [previous, value]);
  }
  return args;
}

/** The raw query/form text without the segments named `name`; the others keep their order and encoding. */
export function removeArg(text: string, name: string): string | null {
  const segments = text.split('&');
  const kept = segments.filter((segment) => segment === '' || segmentName(segment) !== name);
  if (kept.length === segments.length) return null;
  return kept.filter((segment) => segment !== '').join('&');
}

/** Text that escapes to itself: most names and values. */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;

/** ngx.escape_uri in component mode: everything but RFC 3986's unreserved characters is %XX (upper-case, UTF-8). */
export function escapeArg(text: string): string {
  if (UNRESERVED_ONLY.test(text)) return text;
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** ngx.encode_args for one name: `a=1`, a bare `a` for true, `a=1&a=2` for an array, nothing for false. */
function encodeArg(name: string, value: ArgValue | false): string {
  const key = escapeArg(name);
  if (value === true) return key;
  if (typeof value === 'string') return `${key}=${escapeArg(value)}`;
  if (value === false) return '';
  const pieces: string[] = [];
  for (const one of value) {
    if (one === true) pieces.push(key);
    else if (typeof one === 'string') pieces.push(`${key}=${escapeArg(one)}`);
  }
  return pieces.join('&');
}

/**
 * ngx.encode_args over a whole table: names in the order given (a Lua table has no order of its own;
 * callers decide). Form bodies go out this way.
 */
export function encodeArgs(args: ReadonlyMap<string, ArgValue>): string {
  const pieces: string[] = [];
  for (const [name, value] of args) {
    const piece = encodeArg(name, value);
    if (piece !== '') pieces.push(piece);
  }
  return pieces.join('&');
}

/** kong.service.request.set_query: each name encoded on its own, then the pieces sorted lexicographically. */
export function encodeSortedQuery(args: ReadonlyMap<string, ArgValue>): string {
  const pieces: string[] = [];
  for (const [name, value] of args) pieces.push(encodeArg(name, value));
  return pieces.sort().join('&');
}

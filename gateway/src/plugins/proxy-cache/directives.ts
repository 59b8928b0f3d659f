// The header parsing proxy-cache relies on, as kong/tools/http.lua and kong/tools/mime_type.lua do it.

/** A directive's value: a number when it reads as one, else the string, else true (`no-store`). */
export type Directives = ReadonlyMap<string, number | string | true>;

const DIRECTIVE = /^\s*([^=]+)(?:=(.+))?/;

/** Lua's tonumber on a directive value: surrounding blanks allowed, decimal or 0x hex. */
function luaNumber(text: string): number | null {
  const trimmed = text.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  if (/^[-+]?0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed, 16);
  return null;
}

/** parse_directive_header: `public, max-age=3600` → {public: true, max-age: 3600}; repeated headers are joined with `, `. */
export function parseDirectives(header: string | readonly string[] | undefined): Directives {
  const directives = new Map<string, number | string | true>();
  if (header === undefined) return directives;
  const text = typeof header === 'string' ? header : header.join(', ');
  for (const segment of text.split(',')) {
    if (segment === '') continue;
    const match = DIRECTIVE.exec(segment);
    if (match === null) continue;
    const value = match[2];
    directives.set(match[1].toLowerCase(), value === undefined ? true : (luaNumber(value) ?? value));
  }
  return directives;
}

/** A directive used as a number of seconds (a string value counts as absent). */
export function seconds(directives: Directives, name: string): number | null {
  const value = directives.get(name);
  return typeof value === 'number' ? value : null;
}

/** calculate_resource_ttl: s-maxage, else max-age, else the last Expires header against now; never below 0. */
export function resourceTtl(directives: Directives, expires: readonly string[], nowSeconds: number): number {
  let maxAge = seconds(directives, 's-maxage') ?? seconds(directives, 'max-age');
  if (maxAge === null && expires.length > 0) {
    const at = Date.parse(expires[expires.length - 1]);
    if (!Number.isNaN(at)) maxAge = Math.floor(at / 1000) - nowSeconds;
  }
  return maxAge === null ? 0 : Math.max(maxAge, 0);
}

export interface MimeType {
  type: string;
  subtype: string;
  params: ReadonlyMap<string, string>;
}

// RFC 2045 tokens, as kong/tools/mime_type.lua's LPeg grammar reads them.
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const VALUE = `(?:(${TOKEN})|"((?:[^"\\\\\\x00-\\x1f\\x7f]|\\\\[\\x00-\\x7f])*)")`;
const MEDIA_TYPE = new RegExp(`^(?:(${TOKEN})/(${TOKEN})|(\\*))((?:[ \\t]*;[ \\t]*${TOKEN}=${VALUE})*)$`);
const PARAMETER = new RegExp(`[ \\t]*;[ \\t]*(${TOKEN})=${VALUE}`, 'g');

/** parse_mime_type: type and subtype lower-cased, parameter names lower-cased, values as written; null when malformed. */
export function parseMimeType(text: string): MimeType | null {
  const match = MEDIA_TYPE.exec(text);
  if (match === null) return null;
  const params = new Map<string, string>();
  for (const param of match[4].matchAll(PARAMETER)) params.set(param[1].toLowerCase(), param[2] ?? param[3]);
  if (match[3] !== undefined) return { type: '*', subtype: '*', params };
  return { type: match[1].toLowerCase(), subtype: match[2].toLowerCase(), params };
}

/** proxy-cache's content_type check: wildcards for type or subtype, and exactly the same parameters. */
export function contentTypeMatches(actual: MimeType, expected: MimeType): boolean {
  if (expected.type !== '*' && expected.type !== actual.type) return false;
  if (expected.subtype !== '*' && expected.subtype !== actual.subtype) return false;
  if (expected.params.size !== actual.params.size) return false;
  for (const [name, value] of expected.params) if (actual.params.get(name) !== value) return false;
  return true;
}

// JSON as lua-cjson writes it, for plugins that re-encode a body Kong would have re-encoded:
// compact, `/` escaped as `\/`, numbers with 14 significant digits (%.14g).

import { luaNumberToString } from './rate-limiting/lua-number.js';

export function cjsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\//g, '\\/');
  if (typeof value === 'number') return luaNumberToString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(cjsonEncode).join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined) continue;
    members.push(`${cjsonEncode(key)}:${cjsonEncode(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** cjson.safe.decode: the value, or undefined when the text is not JSON. */
export function cjsonDecode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Lua's truth for a decoded JSON value: only a missing key (nil) and false are false; JSON null (cjson.null) is true. */
export function luaTruthy(value: unknown): boolean {
  return value !== undefined && value !== false;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The transformers' `append` on a decoded JSON value, as their Lua does it: a string becomes a list, a list grows. */
export function cjsonAppend(current: unknown, value: unknown): unknown {
  if (typeof current === 'string') return [current, value];
  if (Array.isArray(current)) {
    current.push(value);
    return current;
  }
  if (isJsonObject(current)) {
    // table.insert on a decoded object (no integer keys) writes t[1], which cjson encodes as "1".
    current['1'] = value;
    return current;
  }
  return [value];
}

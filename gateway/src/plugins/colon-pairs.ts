// The `name:value` entries of the transformer plugins, split as Kong splits them
// (`^([^:]+):*(.-)$`): the name runs to the first `:`, every `:` right after it goes, the rest is the value.

import { validateHeaderName } from '../schema/validators.js';

export interface ColonPair {
  name: string;
  /** '' when the entry has no value (Kong's iterators then treat the value as nil). */
  value: string;
}

/** null when the entry has no name (it starts with `:`). */
export function splitColonPair(entry: string): ColonPair | null {
  const colon = entry.indexOf(':');
  if (colon === 0) return null;
  if (colon === -1) return { name: entry, value: '' };
  let valueAt = colon;
  while (entry[valueAt] === ':') valueAt++;
  return { name: entry.slice(0, colon), value: entry.slice(valueAt) };
}

/** Kong's `match = "^[^:]+:.*$"` on colon arrays (Lua's `.` also matches a newline). */
export const COLON_ENTRY = /^[^:]+:[\s\S]*$/;

/** The transformers' validate_headers: the name (and for renames the new name) must be a header name. */
export function validateHeaderPair(entry: string, checkValue = false): string | null {
  const pair = splitColonPair(entry);
  if (pair === null) return "'nil' is not a valid header";
  if (validateHeaderName(pair.name) !== null) return `'${pair.name}' is not a valid header`;
  if (checkValue && validateHeaderName(pair.value) !== null) return `'${pair.value}' is not a valid header`;
  return null;
}

/** What Node (and HTTP) accepts in a header value: no CR, LF or other control characters. */
export function validateHeaderValueText(value: string): string | null {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value) ? null : `'${JSON.stringify(value).slice(1, -1)}' is not a valid header value`;
}

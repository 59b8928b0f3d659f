// Helpers for Kong's error tables: building them, turning them into the JSON Kong sends
// (cjson: tables with only positive integer keys become arrays with nulls in the holes) and
// into the Lua pretty-print Kong puts in `message`.

import type { ErrorNode, ErrorTree } from './types.js';

export const ENTITY_ERRORS_KEY = '@entity';

const INDEX = /^[1-9]\d*$/;

/**
 * A new error table. It has no prototype: its keys are entity names and field names from the
 * declaration, and a name like `__proto__` must be a key like any other, not a way to write into
 * Object.prototype.
 */
export function emptyErrorTree(): ErrorTree {
  return Object.create(null) as ErrorTree;
}

export function isIndexKey(key: string): boolean {
  return INDEX.test(key);
}

/** Appends an entity-level message under `@entity`. */
export function insertEntityError(errors: ErrorTree, message: string): void {
  const list = errors[ENTITY_ERRORS_KEY];
  const target: ErrorTree = typeof list === 'object' ? list : (errors[ENTITY_ERRORS_KEY] = emptyErrorTree());
  target[String(Object.keys(target).length + 1)] = message;
}

/** Appends a message to a list node (Lua `insert(t[k], msg)`), creating it if needed. */
export function appendToList(errors: ErrorTree, key: string, message: string): void {
  const node = errors[key];
  const list: ErrorTree = typeof node === 'object' ? node : (errors[key] = emptyErrorTree());
  list[String(Object.keys(list).length + 1)] = message;
}

/** Kong's set_field: writes a message at a dotted path, creating intermediate tables. */
export function setErrorAt(errors: ErrorTree, dottedPath: string, message: ErrorNode): void {
  const parts = dottedPath.split('.');
  let node: ErrorTree = errors;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'string') return; // Lua would fail indexing a string; keep the first error.
    node = next ?? (node[part] = emptyErrorTree());
  }
  node[parts[parts.length - 1]] = message;
}

/** Sorts keys the way Lua's table.sort does on homogeneous keys: numbers numerically, strings bytewise. */
export function compareKeys(a: string, b: string): number {
  const ai = isIndexKey(a);
  const bi = isIndexKey(b);
  if (ai && bi) return Number(a) - Number(b);
  if (ai !== bi) return ai ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export type JsonErrorNode = string | null | JsonErrorNode[] | { [key: string]: JsonErrorNode };

/** The JSON form cjson gives the error table. */
export function errorTreeToJson(node: ErrorNode): JsonErrorNode {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every(isIndexKey)) {
    const size = Math.max(...keys.map(Number));
    const array: JsonErrorNode[] = new Array(size).fill(null);
    for (const key of keys) array[Number(key) - 1] = errorTreeToJson(node[key]);
    return array;
  }
  const object: { [key: string]: JsonErrorNode } = Object.create(null);
  for (const key of keys) object[key] = errorTreeToJson(node[key]);
  return object;
}

const LUA_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Penlight's pretty.write(t, "") as Kong uses it for the `message` of declarative errors:
 * the leading run of array positions is written bare, other keys as `k=` or `[k]=`.
 */
export function luaPretty(node: ErrorNode | null): string {
  if (node === null) return 'nil';
  if (typeof node === 'string') return luaString(node);
  const keys = Object.keys(node).sort(compareKeys);
  const parts: string[] = [];
  let next = 1;
  for (const key of keys) {
    const value = luaPretty(node[key]);
    if (isIndexKey(key) && Number(key) === next) {
      parts.push(value);
      next += 1;
    } else if (isIndexKey(key)) {
      parts.push(`[${key}]=${value}`);
    } else if (LUA_IDENTIFIER.test(key)) {
      parts.push(`${key}=${value}`);
    } else {
      parts.push(`[${luaString(key)}]=${value}`);
    }
  }
  return `{${parts.join(',')}}`;
}

// request-transformer's body transforms (kong/plugins/request-transformer/access.lua transform_*_body):
// form-urlencoded, JSON and multipart, each in Kong's order and with Lua's view of the values.

import { encodeArgs, parseArgs, type ArgValue } from '../../http/ngx-args.js';
import { multipartBoundary, parseMultipart, serializeMultipart, simplePart, type MultipartPart } from '../../http/multipart.js';
import { cjsonAppend, cjsonDecode, cjsonEncode, isJsonObject, luaTruthy } from '../cjson.js';

export type BodyKind = 'json' | 'multipart' | 'form';

/** A list of `name:value` entries, values already rendered. */
export type Pairs = ReadonlyArray<readonly [name: string, value: string]>;

export interface BodyOperations {
  remove: readonly string[];
  rename: Pairs;
  replace: Pairs;
  add: Pairs;
  append: Pairs;
}

/** get_content_type: a plain substring search of the lower-cased header, JSON first. */
export function bodyKindOf(contentType: string | undefined): BodyKind | null {
  if (contentType === undefined) return null;
  const lower = contentType.toLowerCase();
  if (lower.includes('application/json')) return 'json';
  if (lower.includes('multipart/form-data')) return 'multipart';
  if (lower.includes('application/x-www-form-urlencoded')) return 'form';
  return null;
}

/** append_value: a string becomes a pair, a table grows, anything else is replaced by a one-element table. */
export function appendArg(current: ArgValue | undefined, value: string): ArgValue {
  if (typeof current === 'string') return [current, value];
  if (Array.isArray(current)) {
    current.push(value);
    return current;
  }
  return [value];
}

function renameKey<V>(map: Map<string, V>, oldName: string, newName: string, present: (value: V) => boolean): boolean {
  if (oldName === newName) return false;
  const value = map.get(oldName);
  if (value === undefined || !present(value)) return false;
  map.delete(oldName);
  map.set(newName, value);
  return true;
}

/** transform_url_encoded_body: null when nothing applied. */
export function transformFormBody(ops: BodyOperations, body: Buffer): Buffer | null {
  const hasBody = body.length > 0;
  const params = parseArgs(body.toString('utf8'));
  let changed = false;
  if (hasBody) {
    for (const name of ops.remove) {
      params.delete(name);
      changed = true;
    }
    for (const [oldName, newName] of ops.rename) changed = renameKey(params, oldName, newName, () => true) || changed;
    for (const [name, value] of ops.replace) {
      if (params.has(name)) {
        params.set(name, value);
        changed = true;
      }
    }
  }
  for (const [name, value] of ops.add) {
    if (!params.has(name)) {
      params.set(name, value);
      changed = true;
    }
  }
  for (const [name, value] of ops.append) {
    params.set(name, appendArg(params.get(name), value));
    changed = true;
  }
  return changed ? Buffer.from(encodeArgs(params), 'utf8') : null;
}

/** transform_json_body: null when nothing applied or the body is not a JSON object Kong could change. */
export function transformJsonBody(ops: BodyOperations, body: Buffer): Buffer | null {
  const hasBody = body.length > 0;
  let parsed = hasBody ? cjsonDecode(body.toString('utf8')) : {};
  if (parsed === undefined) return null;
  // A top-level array keeps its elements (cjson encodes it by its array part); scalars have no keys.
  if (!isJsonObject(parsed)) return null;
  const params = new Map(Object.entries(parsed));
  let changed = false;
  if (hasBody) {
    for (const name of ops.remove) {
      params.delete(name);
      changed = true;
    }
    for (const [oldName, newName] of ops.rename) changed = renameKey(params, oldName, newName, luaTruthy) || changed;
    for (const [name, value] of ops.replace) {
      if (luaTruthy(params.get(name))) {
        params.set(name, value);
        changed = true;
      }
    }
  }
  for (const [name, value] of ops.add) {
    if (!luaTruthy(params.get(name))) {
      params.set(name, value);
      changed = true;
    }
  }
  for (const [name, value] of ops.append) {
    params.set(name, cjsonAppend(params.get(name), value));
    changed = true;
  }
  parsed = Object.fromEntries(params);
  return changed ? Buffer.from(cjsonEncode(parsed), 'utf8') : null;
}

/** lua-multipart's set_simple: replaces the part of that name in place, else adds one at the end. */
function setSimple(parts: MultipartPart[], name: string, value: string): void {
  const at = parts.findIndex((part) => part.name === name);
  if (at === -1) parts.push(simplePart(name, value));
  else parts[at] = simplePart(name, value);
}

function deletePart(parts: MultipartPart[], name: string): void {
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].name === name) parts.splice(i, 1);
}

/** transform_multipart_body: rename comes before remove here, and append does nothing (as in Kong). */
export function transformMultipartBody(ops: BodyOperations, body: Buffer, contentType: string): Buffer | null {
  const boundary = multipartBoundary(contentType);
  if (boundary === null) return null;
  const hasBody = body.length > 0;
  const parts = parseMultipart(body, boundary);
  const find = (name: string) => parts.find((part) => part.name === name);
  let changed = false;
  if (hasBody) {
    for (const [oldName, newName] of ops.rename) {
      const part = find(oldName);
      if (part !== undefined && oldName !== newName) {
        setSimple(parts, newName, part.value.toString('utf8'));
        deletePart(parts, oldName);
        changed = true;
      }
    }
    for (const name of ops.remove) {
      deletePart(parts, name);
      changed = true;
    }
    for (const [name, value] of ops.replace) {
      if (find(name) !== undefined) {
        deletePart(parts, name);
        setSimple(parts, name, value);
        changed = true;
      }
    }
  }
  for (const [name, value] of ops.add) {
    if (find(name) === undefined) {
      setSimple(parts, name, value);
      changed = true;
    }
  }
  return changed ? serializeMultipart(parts, boundary) : null;
}

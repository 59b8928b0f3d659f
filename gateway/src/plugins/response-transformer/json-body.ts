// response-transformer's JSON body changes (kong/plugins/response-transformer/body_transformer.lua),
// with Lua's view of the values and lua-cjson's way of writing them back.

import { cjsonAppend, cjsonDecode, cjsonEncode, isJsonObject, luaTruthy } from '../cjson.js';
import { splitColonPair } from '../colon-pairs.js';

type JsonType = 'boolean' | 'number' | 'string';

interface JsonEntries {
  json: string[];
}

interface TypedJsonEntries extends JsonEntries {
  json_types: JsonType[];
}

export interface ResponseTransformerJson {
  remove: JsonEntries;
  rename: JsonEntries;
  replace: TypedJsonEntries;
  add: TypedJsonEntries;
  append: TypedJsonEntries;
}

export function isBodyTransformSet(config: ResponseTransformerJson): boolean {
  return (
    config.add.json.length > 0 ||
    config.rename.json.length > 0 ||
    config.remove.json.length > 0 ||
    config.replace.json.length > 0 ||
    config.append.json.length > 0
  );
}

/** LuaJIT's tonumber on a string: decimal or hex, surrounding spaces allowed; anything else is nil. */
function luaToNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)$/.exec(trimmed);
  if (hex) return (hex[1] === '-' ? -1 : 1) * parseInt(hex[2], 16);
  return undefined;
}

/**
 * json_value: the configured text as cjson encodes a string, with the quotes around it dropped and
 * `\"` and `\/` turned back; then cast by json_types. A missing value is cjson's `null` (the text "null").
 */
function jsonValue(value: string, type: JsonType | undefined): unknown {
  const text = value === '' ? 'null' : cjsonEncode(value).slice(1, -1).replace(/\\"/g, '"').replace(/\\\//g, '/');
  if (type === 'number') return luaToNumber(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

function entries(list: readonly string[]): Array<{ name: string; value: string }> {
  return list.map((entry) => splitColonPair(entry) ?? { name: entry, value: '' });
}

/** An entry's value as json_value makes it; entries whose value is nil (a number that is not one) do nothing and are left out. */
function valuedEntries(list: readonly string[], types: readonly JsonType[]): Array<readonly [string, unknown]> {
  const out: Array<readonly [string, unknown]> = [];
  entries(list).forEach(({ name, value }, i) => {
    const v = jsonValue(value, types[i]);
    if (v !== undefined) out.push([name, v]);
  });
  return out;
}

/** The JSON changes of one configuration, parsed once (the values are strings, numbers or booleans: shared safely). */
interface JsonPlan {
  remove: readonly string[];
  rename: ReadonlyArray<readonly [string, string]>;
  replace: ReadonlyArray<readonly [string, unknown]>;
  add: ReadonlyArray<readonly [string, unknown]>;
  append: ReadonlyArray<readonly [string, unknown]>;
}

const jsonPlans = new WeakMap<ResponseTransformerJson, JsonPlan>();

function jsonPlan(config: ResponseTransformerJson): JsonPlan {
  let plan = jsonPlans.get(config);
  if (plan === undefined) {
    plan = {
      remove: entries(config.remove.json).map(({ name }) => name),
      rename: entries(config.rename.json)
        .filter(({ value }) => value !== '')
        .map(({ name, value }) => [name, value] as const),
      replace: valuedEntries(config.replace.json, config.replace.json_types),
      add: valuedEntries(config.add.json, config.add.json_types),
      append: valuedEntries(config.append.json, config.append.json_types),
    };
    jsonPlans.set(config, plan);
  }
  return plan;
}

/** transform_json_body: the new body, or null when the body is not JSON (it then goes out as it came). */
export function transformJsonBody(config: ResponseTransformerJson, body: Buffer): Buffer | null {
  const parsed = cjsonDecode(body.toString('utf8'));
  if (parsed === undefined) return null;
  // A top-level array keeps its elements (cjson encodes it by its array part); a scalar has no keys to change.
  if (Array.isArray(parsed)) return Buffer.from(cjsonEncode(parsed), 'utf8');
  if (!isJsonObject(parsed)) return null;
  const json = new Map(Object.entries(parsed));
  const plan = jsonPlan(config);

  for (const name of plan.remove) json.delete(name);
  for (const [oldName, newName] of plan.rename) {
    if (!json.has(oldName)) continue;
    const value = json.get(oldName);
    json.set(newName, value);
    json.delete(oldName);
  }
  for (const [name, v] of plan.replace) if (luaTruthy(json.get(name))) json.set(name, v);
  for (const [name, v] of plan.add) if (!luaTruthy(json.get(name))) json.set(name, v);
  for (const [name, v] of plan.append) json.set(name, cjsonAppend(json.get(name), v));
  return Buffer.from(cjsonEncode(Object.fromEntries(json)), 'utf8');
}

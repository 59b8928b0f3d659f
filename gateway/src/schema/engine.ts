// A small re-implementation of Kong's schema library (kong/db/schema/init.lua): defaults
// (process_auto_fields in the "insert" context), field validation and entity checks, producing
// the same error tables and messages. Values follow Lua semantics: `null` is ngx.null, a missing
// key (undefined) is nil.

import { ENTITY_CHECK_MSG, MSG, luaToString, quotedList } from './messages.js';
import { emptyErrorTree, insertEntityError, setErrorAt } from './error-tree.js';
import type {
  ConditionalArg,
  ConditionalAtLeastOneOfArg,
  CustomEntityCheckArg,
  EntityCheck,
  RecordLike,
  ErrorNode,
  ErrorTree,
  FieldDef,
  FieldEntry,
  Subschema,
} from './types.js';

export type Plain = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lua sees `{}` and `[]` as the same empty table, so an empty object is an empty sequence too. */
function asSequence(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value) && Object.keys(value).length === 0) return [];
  return null;
}

/**
 * Writes `key` as an own property. Keys come from the declaration, and a plain assignment of
 * `__proto__` would replace the prototype instead: the field would vanish unvalidated.
 */
export function setOwn(target: Plain, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isPlainObject(value)) {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, deepCopy(v));
    return out as T;
  }
  return value;
}

function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Kong's get_field: `a.b.c` lookup that stops at nil/null. */
export function getField(obj: unknown, dotted: string): unknown {
  let node: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function setFieldValue(obj: Plain, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Plain;
  }
  if (value !== undefined) node[parts[parts.length - 1]] = value;
}

// ---------------------------------------------------------------------------------------------
// Compiled records: field lookups by name, built once per definition object.

interface CompiledRecord {
  readonly def: RecordLike;
  readonly fieldMap: ReadonlyMap<string, FieldDef>;
}

const compiled = new WeakMap<object, CompiledRecord>();

function compile(def: RecordLike): CompiledRecord {
  let record = compiled.get(def);
  if (!record) {
    record = { def, fieldMap: new Map(def.fields ?? []) };
    compiled.set(def, record);
  }
  return record;
}

const subschemaMaps = new WeakMap<Subschema, ReadonlyMap<string, FieldDef>>();

function subschemaFields(subschema: Subschema): ReadonlyMap<string, FieldDef> {
  let map = subschemaMaps.get(subschema);
  if (!map) {
    map = new Map(subschema.fields);
    subschemaMaps.set(subschema, map);
  }
  return map;
}

function getSubschema(def: RecordLike, input: Plain): Subschema | undefined {
  if (!def.subschemas || !def.subschema_key) return undefined;
  const key = input[def.subschema_key];
  if (typeof key === 'string') return def.subschemas.get(key);
  if (Array.isArray(key)) {
    for (const k of key) {
      const sub = typeof k === 'string' ? def.subschemas.get(k) : undefined;
      if (sub) return sub;
    }
  }
  return undefined;
}

/** Schema:each_field(values): the record's fields, specialised by the subschema the values select. */
function eachField(def: RecordLike, values?: Plain): FieldEntry[] {
  const fields = def.fields ?? [];
  const sub = values ? getSubschema(def, values) : undefined;
  if (!sub) return [...fields];
  const overrides = subschemaFields(sub);
  return fields.map(([name, field]) => [name, overrides.get(name) ?? field] as const);
}

function schemaFieldAt(def: FieldDef, dotted: string, sub?: Subschema): FieldDef | undefined {
  const parts = dotted.split('.');
  let field: FieldDef | undefined;
  let record: FieldDef | undefined = def;
  for (let i = 0; i < parts.length; i++) {
    if (!record?.fields) return undefined;
    field = (i === 0 && sub ? subschemaFields(sub).get(parts[i]) : undefined) ?? compile(record).fieldMap.get(parts[i]);
    record = field;
  }
  return field;
}

// ---------------------------------------------------------------------------------------------
// Defaults (process_auto_fields, "insert" context)

export type ProcessResult = { ok: true; value: Plain } | { ok: false; errors: ErrorTree };

function handleMissingField(field: FieldDef): unknown {
  if (field.default !== undefined) return deepCopy(field.default);
  if (field.auto) return undefined;
  if (field.required !== true) return null;
  if (field.type === 'record') {
    const result = processAutoFields(field, {});
    return result.ok ? result.value : undefined;
  }
  return undefined;
}

function makeSet(values: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const v of values) {
    // Lua sets dedupe by value for scalars and by identity for tables.
    if (typeof v === 'object' && v !== null) out.push(v);
    else if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function adjustField(field: FieldDef, value: unknown): { value: unknown; errors?: ErrorTree } {
  if (field.type === 'record') {
    if (value !== null && (value !== undefined || field.required === true)) {
      const v = value === undefined ? handleMissingField(field) : value;
      if (isPlainObject(v)) {
        const result = processAutoFields(field, v);
        return result.ok ? { value: result.value } : { value: v, errors: result.errors };
      }
      value = v;
    }
  } else if (Array.isArray(value) || isPlainObject(value)) {
    // Lua's empty table is `{}` and `[]` at once; handlers iterate lists, so store the list.
    if ((field.type === 'array' || field.type === 'set') && isPlainObject(value) && Object.keys(value).length === 0) value = [];
    let sub: FieldDef | undefined;
    if (field.type === 'array' && Array.isArray(value)) sub = field.elements;
    else if (field.type === 'set' && Array.isArray(value)) {
      value = makeSet(value);
      sub = field.elements;
    } else if (field.type === 'map' && isPlainObject(value)) sub = field.values;
    if (sub) {
      if (Array.isArray(value)) value = value.map((v) => adjustField(sub!, v).value);
      else {
        const out: Plain = {};
        for (const [k, v] of Object.entries(value as Plain)) setOwn(out, k, adjustField(sub, v).value);
        value = out;
      }
    }
  }
  if (value === undefined) return { value: handleMissingField(field) };
  return { value };
}

/** null_aware_table_merge(t1, t2): t2 wins unless its value is null. */
function nullAwareMerge(t1: Plain, t2: Plain): Plain {
  const out: Plain = { ...t1 };
  for (const [k, v] of Object.entries(t2)) if (out[k] === undefined || v !== null) setOwn(out, k, v);
  return out;
}

/**
 * Fills defaults like Kong's process_auto_fields(data, "insert"): shorthand fields are expanded,
 * missing optional fields become null, missing required records are expanded with their defaults,
 * sets lose duplicates. Auto fields (ids, timestamps) are left to the caller.
 */
export function processAutoFields(def: RecordLike, input: Plain): ProcessResult {
  const data = deepCopy(input);
  if (def.shorthand_fields) {
    const errors = emptyErrorTree();
    for (const [name, shorthand] of def.shorthand_fields) {
      const value = data[name];
      if (value === undefined) continue;
      if (value === null) {
        // A null shorthand (`url: null`) sets nothing, as if it were left out.
        delete data[name];
        continue;
      }
      const err = validateField(shorthand, value);
      if (err !== null) {
        errors[name] = err;
        continue;
      }
      const mismatch = shorthand.deprecation ? deprecatedShorthandMismatch(data, name, value, shorthand.deprecation.replaced_with, shorthand.encrypted === true) : null;
      if (mismatch) {
        errors[name] = mismatch;
        continue;
      }
      delete data[name];
      const expanded = shorthand.func(value);
      if (!expanded) continue;
      for (const [k, v] of Object.entries(expanded)) {
        if (isPlainObject(v)) {
          const source = isPlainObject(data[k]) ? (data[k] as Plain) : {};
          data[k] = shorthand.deprecation ? nullAwareMerge(v, source) : { ...source, ...v };
        } else if (!shorthand.deprecation || data[k] === undefined || data[k] === null) {
          data[k] = v;
        }
      }
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
  }
  // Rebuilt in schema order so that outputs list fields the way the schema declares them.
  const ordered: Plain = {};
  for (const [name, field] of eachField(def, data)) {
    const adjusted = adjustField(field, data[name]);
    if (adjusted.errors) return { ok: false, errors: { [name]: adjusted.errors } };
    if (adjusted.value !== undefined) ordered[name] = adjusted.value;
  }
  for (const [name, value] of Object.entries(data)) {
    // Unknown fields stay, to be refused by validation; `in` would also see Object.prototype's members.
    if (!Object.hasOwn(ordered, name) && !compile(def).fieldMap.has(name)) setOwn(ordered, name, value);
  }
  return { ok: true, value: ordered };
}

function deprecatedShorthandMismatch(
  data: Plain,
  name: string,
  value: unknown,
  paths: readonly (readonly string[])[],
  secret: boolean,
): string | null {
  // Kong quotes both values; a secret's are left out.
  const show = (v: unknown) => (secret ? '<redacted>' : luaToString(v));
  for (const path of paths) {
    const current = getField(data, path.join('.'));
    if (current !== undefined && current !== null && JSON.stringify(current) !== JSON.stringify(value)) {
      return `both deprecated and new field are used but their values mismatch: ${name} = ${show(value)} vs ${path.join('.')} = ${show(current)}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Field validation (Schema:validate_field)

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return 0;
}

/** Runs the validators of one field in Kong's order; returns the first message. */
function runValidators(field: FieldDef, value: any): string | null {
  const fail = (message: string) => field.err ?? message;
  if (field.eq !== undefined && value !== field.eq) return fail(MSG.eq(luaToString(field.eq)));
  if (field.ne !== undefined && value === field.ne) return fail(MSG.ne(field.ne === null ? 'null' : luaToString(value)));
  if (field.not_one_of && field.not_one_of.includes(value)) return fail(MSG.not_one_of(field.not_one_of));
  if (field.one_of && !field.one_of.includes(value)) return fail(MSG.one_of(field.one_of));
  if (field.gt !== undefined && !(value > field.gt)) return fail(MSG.gt(luaToString(field.gt)));
  if (field.timestamp && !(value > 0)) return fail(MSG.TIMESTAMP);
  if (field.uuid && !(typeof value === 'string' && UUID.test(value))) return fail(MSG.UUID);
  if (field.between && (value < field.between[0] || value > field.between[1])) return fail(MSG.between(field.between[0], field.between[1]));
  const lenMin = field.len_min ?? (field.type === 'string' ? 1 : undefined);
  if (field.len_eq !== undefined && lengthOf(value) !== field.len_eq) return fail(MSG.len_eq(field.len_eq));
  if (lenMin !== undefined && lengthOf(value) < lenMin) return fail(MSG.len_min(lenMin));
  if (field.len_max !== undefined && lengthOf(value) > field.len_max) return fail(MSG.len_max(field.len_max));
  if (field.starts_with !== undefined && !String(value).startsWith(field.starts_with)) return fail(MSG.starts_with(field.starts_with));
  if (field.not_match && field.not_match.test(value)) return fail(MSG.invalidValue(value));
  if (field.match_none) for (const rule of field.match_none) if (rule.pattern.test(value)) return fail(rule.err);
  if (field.match && !field.match.test(value)) return fail(MSG.invalidValue(value));
  if (field.match_all) for (const rule of field.match_all) if (!rule.pattern.test(value)) return fail(rule.err);
  if (field.match_any && !field.match_any.patterns.some((p) => p.test(value))) return fail(field.match_any.err);
  if (field.contains !== undefined && !(Array.isArray(value) && value.includes(field.contains))) return fail(MSG.contains(luaToString(field.contains)));
  if (field.custom_validator) {
    const err = field.custom_validator(value);
    if (err !== null) return fail(err);
  }
  if (field.mutually_exclusive_subsets && Array.isArray(value)) {
    const memberOf: (readonly string[])[] = [];
    for (const v of value) {
      const subset = field.mutually_exclusive_subsets.find((s) => s.includes(v));
      if (subset && !memberOf.includes(subset)) memberOf.push(subset);
    }
    if (memberOf.length > 1) return fail(MSG.mutually_exclusive_sets(quotedList(memberOf)));
  }
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validateElements(field: FieldDef, values: unknown[]): ErrorTree | null {
  const elements: FieldDef = { ...(field.elements ?? { type: 'any' }), required: true };
  const errors = emptyErrorTree();
  values.forEach((v, i) => {
    const err = validateField(elements, v);
    if (err !== null) errors[String(i + 1)] = err;
  });
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Validates a foreign key: a reference by name/id string (declarative form) or a primary key `{ id }`. */
function validateForeign(value: unknown): ErrorNode | null {
  if (typeof value === 'string') return value === '' ? MSG.len_min(1) : null;
  if (!isPlainObject(value)) return MSG.STRING;
  const id = value.id;
  if (id === undefined) return { id: MSG.MISSING_PK };
  if (id === null) return { id: MSG.REQUIRED };
  if (typeof id !== 'string') return { id: MSG.STRING };
  if (!UUID.test(id)) return { id: MSG.UUID };
  return null;
}

/** Schema:validate_field — null when valid, else a message or a nested error table. */
export function validateField(field: FieldDef, value: unknown): ErrorNode | null {
  if (value === undefined) return null;
  if (value === null) {
    if (field.ne === null) return field.err ?? MSG.ne('null');
    if (field.eq !== undefined && field.eq !== null) return MSG.eq(luaToString(field.eq));
    if (field.required) return MSG.REQUIRED;
    return null;
  }
  if (field.eq === null) return field.err ?? MSG.eq('null');

  switch (field.type) {
    case 'array':
    case 'set': {
      const seq = asSequence(value);
      if (!seq) return field.type === 'array' ? MSG.ARRAY : MSG.SET;
      const errors = validateElements(field, seq);
      if (errors) return errors;
      return runValidators(field, seq);
    }
    case 'map': {
      if (!isPlainObject(value) && !Array.isArray(value)) return MSG.MAP;
      // A non-empty Lua sequence used as a map has number keys.
      if (Array.isArray(value) && value.length > 0) return MSG.STRING;
      const keyField: FieldDef = { ...(field.keys ?? { type: 'string' }), required: true };
      const valueField: FieldDef = { ...(field.values ?? { type: 'any' }), required: true };
      for (const [k, v] of Object.entries(value)) {
        const keyErr = validateField(keyField, k);
        if (keyErr !== null) return keyErr;
        const valueErr = validateField(valueField, v);
        if (valueErr !== null) return valueErr;
      }
      return runValidators(field, value);
    }
    case 'record': {
      if (!isPlainObject(value)) return MSG.RECORD;
      const processed = processAutoFields(field, value);
      if (!processed.ok) return processed.errors;
      const errors = validateRecord(field, processed.value);
      if (errors) return errors;
      return runValidators(field, value);
    }
    case 'foreign': {
      const err = validateForeign(value);
      if (err !== null) return err;
      return field.eq !== undefined || field.ne !== undefined ? runValidators(field, value) : null;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return MSG.INTEGER;
      return runValidators(field, value);
    case 'number':
      if (typeof value !== 'number') return MSG.NUMBER;
      return runValidators(field, value);
    case 'string':
      if (typeof value !== 'string') return MSG.STRING;
      return runValidators(field, value);
    case 'boolean':
      if (typeof value !== 'boolean') return MSG.BOOLEAN;
      return runValidators(field, value);
    case 'any':
      return runValidators(field, value);
  }
}

// ---------------------------------------------------------------------------------------------
// Record validation (Schema:validate) and entity checks

interface CheckSpec {
  runWithMissing: boolean;
  runWithInvalid: boolean;
  /** Field names the check reads, and which of them must be present. */
  fields: string[];
  required: Set<string>;
}

function checkSpec(name: string, arg: any): CheckSpec {
  switch (name) {
    case 'at_least_one_of':
      return { runWithMissing: true, runWithInvalid: true, fields: [...arg], required: new Set(arg) };
    case 'only_one_of':
    case 'distinct':
      return { runWithMissing: false, runWithInvalid: true, fields: [...arg], required: new Set(arg) };
    case 'mutually_required':
    case 'mutually_exclusive':
      return { runWithMissing: true, runWithInvalid: false, fields: [...arg], required: new Set(arg) };
    case 'conditional': {
      const a = arg as ConditionalArg;
      return { runWithMissing: false, runWithInvalid: true, fields: [a.if_field, a.then_field], required: new Set([a.if_field]) };
    }
    case 'conditional_at_least_one_of': {
      const a = arg as ConditionalAtLeastOneOfArg;
      // Kong declares its required_fields as a list, so in practice none is required.
      return {
        runWithMissing: true,
        runWithInvalid: true,
        fields: [a.if_field, ...a.then_at_least_one_of, ...(a.else_then_at_least_one_of ?? [])],
        required: new Set(),
      };
    }
    case 'custom_entity_check': {
      const a = arg as CustomEntityCheckArg;
      return { runWithMissing: a.run_with_missing_fields ?? false, runWithInvalid: false, fields: [...a.field_sources], required: new Set(a.field_sources) };
    }
    default:
      throw new Error(`unknown entity check '${name}' in a schema definition`);
  }
}

type CheckOutcome = null | { err: string; custom?: string };

function matches(def: FieldDef, base: FieldDef | undefined, value: unknown): boolean {
  const merged: FieldDef = { ...(base ?? { type: 'any' }), ...def } as FieldDef;
  return validateField(merged, value) === null;
}

function runCheck(def: FieldDef, sub: Subschema | undefined, name: string, arg: any, entity: Plain, errors: ErrorTree): CheckOutcome {
  const fieldAt = (dotted: string) => schemaFieldAt(def, dotted, sub);
  switch (name) {
    case 'at_least_one_of':
      return (arg as string[]).some((f) => isNonEmpty(getField(entity, f))) ? null : { err: quotedList(arg) };
    case 'only_one_of': {
      const count = (arg as string[]).filter((f) => isNonEmpty(getField(entity, f))).length;
      return count === 1 ? null : { err: quotedList(arg) };
    }
    case 'distinct': {
      const seen = new Set<unknown>();
      for (const f of arg as string[]) {
        const v = getField(entity, f);
        if (!isNonEmpty(v)) continue;
        if (seen.has(v)) return { err: quotedList(arg) };
        seen.add(v);
      }
      return null;
    }
    case 'mutually_required': {
      const count = (arg as string[]).filter((f) => isNonEmpty(getField(entity, f))).length;
      return count === 0 || count === arg.length ? null : { err: quotedList(arg) };
    }
    case 'mutually_exclusive': {
      const count = (arg as string[]).filter((f) => isNonEmpty(getField(entity, f))).length;
      return count <= 1 ? null : { err: quotedList(arg) };
    }
    case 'conditional': {
      const a = arg as ConditionalArg;
      const ifValue = getField(entity, a.if_field);
      let thenValue = getField(entity, a.then_field);
      if (thenValue === undefined) thenValue = null;
      if (!matches(a.if_match as FieldDef, fieldAt(a.if_field), ifValue)) return null;
      if (a.then_match.required === true && thenValue === null) {
        setErrorAt(errors, a.then_field, MSG.REQUIRED);
        return { err: a.if_field };
      }
      const merged = { ...(fieldAt(a.then_field) ?? { type: 'any' }), ...a.then_match } as FieldDef;
      const err = validateField(merged, thenValue);
      if (err !== null) {
        setErrorAt(errors, a.then_field, err);
        return { err: a.if_field, custom: a.then_err?.replace('%s', a.if_field) };
      }
      return null;
    }
    case 'conditional_at_least_one_of': {
      const a = arg as ConditionalAtLeastOneOfArg;
      const ifValue = getField(entity, a.if_field);
      if (ifValue === undefined) return null;
      const base = fieldAt(a.if_field);
      let names = a.then_at_least_one_of;
      let customErr = a.then_err;
      if (!matches(a.if_match as FieldDef, base, ifValue)) {
        if (!a.else_match || !matches(a.else_match as FieldDef, base, ifValue)) return null;
        names = a.else_then_at_least_one_of ?? [];
        customErr = a.else_then_err;
      }
      if (names.some((f) => isNonEmpty(getField(entity, f)))) return null;
      const list = quotedList(names);
      return { err: list, custom: customErr?.replace('%s', list) };
    }
    case 'custom_entity_check': {
      const err = (arg as CustomEntityCheckArg).fn(entity);
      return err === null ? null : { err };
    }
    default:
      return null;
  }
}

function runEntityCheck(def: FieldDef, sub: Subschema | undefined, check: EntityCheck, input: Plain, errors: ErrorTree): void {
  const [name, arg] = Object.entries(check)[0] as [string, any];
  const spec = checkSpec(name, arg);
  const projection: Plain = {};
  const missing: string[] = [];
  let allNil = true;
  let allOk = true;
  for (const fname of spec.fields) {
    const value = getField(input, fname);
    if (value === undefined) {
      if (!spec.runWithMissing && spec.required.has(fname)) missing.push(fname);
    } else {
      allNil = false;
    }
    if (errors[fname] !== undefined) allOk = false;
    setFieldValue(projection, fname, value);
  }
  if (!allOk && !spec.runWithInvalid) return;
  if (allNil && !spec.runWithMissing) return;
  if (missing.length > 0) {
    for (const fname of missing) setErrorAt(errors, fname, MSG.REQUIRED_FOR_ENTITY_CHECK);
    return;
  }
  const outcome = runCheck(def, sub, name, arg, projection, errors);
  if (outcome === null) return;
  if (outcome.custom !== undefined) {
    insertEntityError(errors, outcome.custom);
    return;
  }
  const format = ENTITY_CHECK_MSG[name];
  insertEntityError(errors, format ? format(outcome.err) : outcome.err);
}

/**
 * Schema:validate(input) on a record whose defaults were already filled. Returns the error table,
 * or null when the record is valid.
 */
export function validateRecord(def: RecordLike, input: Plain): ErrorTree | null {
  if (def.subschema_key) {
    const key = input[def.subschema_key];
    if (key === undefined || key === null) return { [def.subschema_key]: MSG.REQUIRED };
    if (!getSubschema(def, input)) {
      if (typeof key !== 'string' && !Array.isArray(key)) return { [def.subschema_key]: MSG.STRING };
      const shown = typeof key === 'string' ? key : key.length > 0 ? luaToString(key[0]) : 'nil';
      const format = def.subschema_error ?? 'unknown type: %s';
      return { [def.subschema_key]: format.replace('%s', shown) };
    }
  }
  const { fieldMap } = compile(def);
  const sub = getSubschema(def, input);
  const subFields = sub ? subschemaFields(sub) : undefined;
  const errors = emptyErrorTree();
  for (const [key, value] of Object.entries(input)) {
    let field = fieldMap.get(key);
    if (!field) {
      errors[key] = MSG.UNKNOWN;
      continue;
    }
    field = subFields?.get(key) ?? field;
    const err = validateField(field, value);
    if (err !== null) errors[key] = err;
  }
  for (const [name, field] of def.fields ?? []) {
    if (field.required && (input[name] === null || input[name] === undefined)) errors[name] = MSG.REQUIRED;
  }
  for (const check of def.entity_checks ?? []) runEntityCheck(def, undefined, check, input, errors);
  for (const check of sub?.entity_checks ?? []) runEntityCheck(def, sub, check, input, errors);
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Defaults then validation, as Kong validates each element of a declarative entity array. */
export function processAndValidate(def: RecordLike, input: Plain): { value: Plain | null; errors: ErrorTree | null } {
  const processed = processAutoFields(def, input);
  if (!processed.ok) return { value: null, errors: processed.errors };
  return { value: processed.value, errors: validateRecord(def, processed.value) };
}


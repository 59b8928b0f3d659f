// Schema endpoints (kong/api/routes/kong.lua). decK reads entity and plugin defaults here so that
// defaults don't show up as diffs, and `deck gateway validate` posts entities to the validators.
//   GET  /schemas/{entity}               → {"fields":[{"<name>":{…}}, …], "entity_checks":[…]}
//   GET  /schemas/plugins/{plugin}       → the plugin's own fields (consumer/route/service rules, protocols, config)
//   POST /schemas/{entity}/validate      → 200 {"message":"schema validation successful"} or 400 schema violation
//   POST /schemas/plugins/validate       → the same for a plugin entity (its config checked by the plugin's schema)

import { collectionInfo, isCollection } from '../declarative/collections.js';
import { pluginSchemas } from '../plugins/registry.js';
import { isPlainObject, processAndValidate } from '../schema/engine.js';
import { ENTITY_ERRORS_KEY, compareKeys, errorTreeToJson, luaPretty } from '../schema/error-tree.js';
import { pluginSubschema } from '../schema/plugin-schema.js';
import type { ErrorTree, FieldEntry, RecordLike } from '../schema/types.js';
import { AdminHttpError, KONG_ERROR, methodNotAllowed } from './http.js';
import type { EndpointResult } from './entity-endpoints.js';
import type { RequestBody } from './request-body.js';

/** Kong's schema_to_jsonable: functions dropped, ordered `[name, def]` pairs become `{name: def}` objects. */
function jsonable(value: unknown): unknown {
  if (typeof value === 'function' || value === undefined) return undefined;
  if (value instanceof RegExp) return value.source;
  if (value instanceof Map) return undefined;
  if (Array.isArray(value)) return value.map((item) => jsonable(item) ?? null);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'fields' || key === 'shorthand_fields') {
        out[key] = fieldsJson(item as readonly FieldEntry[]);
        continue;
      }
      const converted = jsonable(item);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return value;
}

function fieldsJson(fields: readonly FieldEntry[]): Array<Record<string, unknown>> {
  return fields.map(([name, def]) => ({ [name]: jsonable(def) }));
}

function schemaJson(fields: readonly FieldEntry[], entityChecks: readonly unknown[] | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { fields: fieldsJson(fields) };
  if (entityChecks && entityChecks.length > 0) body.entity_checks = jsonable(entityChecks);
  return body;
}

function entitySchemaEndpoint(name: string): EndpointResult {
  if (!isCollection(name)) throw new AdminHttpError(404, { message: `No entity named '${name}'` });
  const schema = collectionInfo(name).schema;
  return { status: 200, body: schemaJson(schema.fields, schema.entity_checks) };
}

function pluginSchemaEndpoint(name: string): EndpointResult {
  const plugin = pluginSchemas.get(name);
  if (!plugin) throw new AdminHttpError(404, { message: `No plugin named '${name}'` });
  const sub = pluginSubschema(plugin);
  // Kong's plugin schemas list the scope rules and protocols before `config`.
  const fields = [...sub.fields.filter(([field]) => field !== 'config'), ...sub.fields.filter(([field]) => field === 'config')];
  return { status: 200, body: schemaJson(fields, sub.entity_checks) };
}

/** Kong's Errors:schema_violation message: entity checks first, then fields in sorted order. */
function schemaViolationMessage(errors: ErrorTree): string {
  const parts: string[] = [];
  const entity = errors[ENTITY_ERRORS_KEY];
  if (entity !== undefined) {
    if (typeof entity === 'string') parts.push(entity);
    else for (const key of Object.keys(entity).sort(compareKeys)) parts.push(String(entity[key]));
  }
  for (const field of Object.keys(errors).sort(compareKeys)) {
    if (field === ENTITY_ERRORS_KEY) continue;
    const node = errors[field];
    if (typeof node === 'string') {
      parts.push(`${field}: ${node}`);
      continue;
    }
    for (const sub of Object.keys(node).sort(compareKeys)) {
      const value = node[sub];
      parts.push(`${field}.${sub}: ${typeof value === 'string' ? value : luaPretty(value)}`);
    }
  }
  return parts.length === 1 ? `schema violation (${parts[0]})` : `${parts.length} schema violations (${parts.join('; ')})`;
}

function bodyParams(body: RequestBody): Record<string, unknown> {
  if (body.decoded.kind === 'json') return isPlainObject(body.decoded.value) ? body.decoded.value : {};
  if (body.decoded.kind === 'form') return { ...body.decoded.fields };
  return {};
}

function validateEndpoint(name: string, params: Record<string, unknown>): EndpointResult {
  if (!isCollection(name)) throw new AdminHttpError(404, { message: `No entity named '${name}'` });
  const schema: RecordLike = collectionInfo(name).schema;
  const { errors } = processAndValidate(schema, structuredClone(params));
  if (errors) {
    return {
      status: 400,
      body: { ...KONG_ERROR.SCHEMA_VIOLATION, message: schemaViolationMessage(errors), fields: errorTreeToJson(errors) },
    };
  }
  return { status: 200, body: { message: 'schema validation successful' } };
}

/** Answers a `/schemas/...` path (segments after `schemas`), or undefined when there is no such endpoint. */
export async function handleSchemaRequest(
  method: string,
  segments: string[],
  readBody: () => Promise<RequestBody>,
): Promise<EndpointResult | undefined> {
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  if (decoded.length === 2 && decoded[1] === 'validate') {
    if (method !== 'POST') throw methodNotAllowed();
    return validateEndpoint(decoded[0], bodyParams(await readBody()));
  }
  if (decoded.length === 2 && decoded[0] === 'plugins') {
    if (method !== 'GET') throw methodNotAllowed();
    return pluginSchemaEndpoint(decoded[1]);
  }
  if (decoded.length === 1) {
    if (method !== 'GET') throw methodNotAllowed();
    return entitySchemaEndpoint(decoded[0]);
  }
  return undefined;
}

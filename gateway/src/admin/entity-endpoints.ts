// The CRUD endpoints Kong generates for every entity (kong/api/endpoints.lua), as a DB-less node
// answers them: reads work on the active configuration, writes fail the way the `off` strategy
// fails them (405 `operation unsupported`), and methods with no handler get 405 `Method not allowed`.
//
// Paths handled (x, y = id or endpoint key):
//   /{collection}                      GET list (size, offset, tags)
//   /{collection}/{x}                  GET one
//   /{collection}/{x}/{foreign field}  GET the referenced entity (/routes/{x}/service)
//   /{parent}/{x}/{nested}             GET list under a parent (/services/{x}/routes, /consumers/{x}/key-auth)
//   /{parent}/{x}/{nested}/{y}         GET one under a parent
// plus Kong's extras /consumers?custom_id= and /plugins/enabled, and always-empty lists for the
// collections this gateway does not implement (upstreams, certificates, …; see EMPTY_COLLECTIONS).

import type { FlatConfig } from '../declarative/entities.js';
import {
  EMPTY_COLLECTIONS,
  type CollectionSpec,
  type EntityRecord,
  type ForeignKeySpec,
  entitiesOf,
  findEntity,
  findNestedEntity,
  foreignId,
  isUuid,
  nestedChild,
  presentEntity,
  specByPath,
  specOf,
} from './collections.js';
import { AdminHttpError, KONG_ERROR, methodNotAllowed, notFound } from './http.js';
import { paginate, parsePageQuery } from './paging.js';

export interface EntityRequest {
  method: string;
  /** Raw (still percent-encoded) path segments. */
  segments: string[];
  query: Record<string, string>;
  config: FlatConfig;
  nowMs: number;
  /** Plugin names this node can run, for /plugins/enabled. */
  availablePlugins: readonly string[];
}

export interface EndpointResult {
  status: number;
  body: unknown;
}

const ok = (body: unknown): EndpointResult => ({ status: 200, body });

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type WriteOperation = 'create' | 'update' | 'create or update' | 'remove';

/** The `off` strategy's refusal; `by '<field>'` when the URL named the entity by its endpoint key. */
function unsupported(operation: WriteOperation, spec: CollectionSpec, key?: string): AdminHttpError {
  const byField = key !== undefined && !isUuid(key) && spec.endpointKey ? ` by '${spec.endpointKey}'` : '';
  return new AdminHttpError(405, {
    ...KONG_ERROR.OPERATION_UNSUPPORTED,
    message: `cannot ${operation} '${spec.collection}' entities${byField} when not using a database`,
  });
}

function visible(spec: CollectionSpec, entity: EntityRecord | undefined, nowMs: number): EntityRecord | undefined {
  return entity ? (presentEntity(spec, entity, nowMs) ?? undefined) : undefined;
}

function visibleAll(spec: CollectionSpec, entities: readonly EntityRecord[], nowMs: number): EntityRecord[] {
  const out: EntityRecord[] = [];
  for (const entity of entities) {
    const shown = presentEntity(spec, entity, nowMs);
    if (shown) out.push(shown);
  }
  return out;
}

function listBody(data: EntityRecord[], offset: string | null, next: string | null): Record<string, unknown> {
  // Kong omits `offset` on the last page (nil in Lua) but always has `next` (null there).
  return offset === null ? { data, next } : { data, offset, next };
}

function topLevelList(req: EntityRequest, spec: CollectionSpec): EndpointResult {
  if (spec.collection === 'consumers' && req.query.custom_id !== undefined) return consumerByCustomId(req);
  const page = paginate(visibleAll(spec, entitiesOf(req.config, spec.collection), req.nowMs), parsePageQuery(req.query));
  let next: string | null = null;
  if (page.offset !== null) {
    next = `/${spec.path}?offset=${encodeURIComponent(page.offset)}`;
    if (req.query.tags !== undefined) next += `&tags=${encodeURIComponent(req.query.tags)}`;
    if (req.query.size !== undefined) next += `&size=${req.query.size}`;
  }
  return ok(listBody(page.data, page.offset, next));
}

/** kong/api/routes/consumers.lua: `?custom_id=` selects at most one consumer. */
function consumerByCustomId(req: EntityRequest): EndpointResult {
  const customId = req.query.custom_id;
  if (customId === '') throw new AdminHttpError(400, { message: 'custom_id must be an unempty string' });
  const consumer = req.config.consumers.find((candidate) => candidate.custom_id === customId);
  return ok({ data: consumer ? [consumer] : [], next: null });
}

function nestedList(
  req: EntityRequest,
  parent: CollectionSpec,
  rawParentKey: string,
  parentId: string,
  child: CollectionSpec,
  fk: ForeignKeySpec,
): EndpointResult {
  const underParent = entitiesOf(req.config, child.collection).filter((entity) => foreignId(entity, fk.field) === parentId);
  const page = paginate(visibleAll(child, underParent, req.nowMs), parsePageQuery(req.query));
  const next =
    page.offset === null ? null : `/${parent.path}/${rawParentKey}/${child.nestedPath}?offset=${encodeURIComponent(page.offset)}`;
  return ok(listBody(page.data, page.offset, next));
}

function collectionEndpoint(req: EntityRequest, spec: CollectionSpec): EndpointResult {
  if (req.method === 'GET') return topLevelList(req, spec);
  if (req.method === 'POST') throw unsupported('create', spec);
  throw methodNotAllowed();
}

function entityEndpoint(req: EntityRequest, spec: CollectionSpec, key: string): EndpointResult {
  const entity = visible(spec, findEntity(req.config, spec, key), req.nowMs);
  switch (req.method) {
    case 'GET':
      if (!entity) throw notFound();
      return ok(entity);
    case 'PUT':
      throw unsupported('create or update', spec, key);
    case 'PATCH':
      throw unsupported('update', spec, key);
    case 'DELETE':
      // Kong's DAO looks the entity up first and reports success when there is nothing to delete.
      if (!entity) return { status: 204, body: null };
      throw unsupported('remove', spec, key);
    default:
      throw methodNotAllowed();
  }
}

function foreignEntityEndpoint(req: EntityRequest, spec: CollectionSpec, key: string, fk: ForeignKeySpec): EndpointResult {
  const entity = visible(spec, findEntity(req.config, spec, key), req.nowMs);
  const parentSpec = specOf(fk.parent);
  const parentId = entity ? foreignId(entity, fk.field) : null;
  const parent = parentId ? visible(parentSpec, findEntity(req.config, parentSpec, parentId), req.nowMs) : undefined;
  switch (req.method) {
    case 'GET':
      if (!parent) throw notFound();
      return ok(parent);
    case 'PUT':
      if (!entity) throw notFound();
      throw unsupported('create or update', parentSpec);
    case 'PATCH':
      if (!parent) throw notFound();
      throw unsupported('update', parentSpec);
    case 'DELETE':
      if (!parent) throw notFound();
      throw methodNotAllowed();
    default:
      throw methodNotAllowed();
  }
}

function nestedCollectionEndpoint(
  req: EntityRequest,
  parentSpec: CollectionSpec,
  rawParentKey: string,
  child: { spec: CollectionSpec; fk: ForeignKeySpec },
): EndpointResult {
  if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed();
  const parent = visible(parentSpec, findEntity(req.config, parentSpec, decodeSegment(rawParentKey)), req.nowMs);
  if (!parent) throw notFound();
  if (req.method === 'POST') throw unsupported('create', child.spec);
  return nestedList(req, parentSpec, rawParentKey, parent.id, child.spec, child.fk);
}

function nestedEntityEndpoint(
  req: EntityRequest,
  parentSpec: CollectionSpec,
  parentKey: string,
  child: { spec: CollectionSpec; fk: ForeignKeySpec },
  childKey: string,
): EndpointResult {
  if (!['GET', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) throw methodNotAllowed();
  const parent = visible(parentSpec, findEntity(req.config, parentSpec, parentKey), req.nowMs);
  if (!parent) throw notFound();
  if (req.method === 'PUT') throw unsupported('create or update', child.spec, childKey);
  const entity = visible(child.spec, findNestedEntity(req.config, child.spec, child.fk, parent.id, childKey), req.nowMs);
  if (!entity) throw notFound();
  if (req.method === 'GET') return ok(entity);
  throw unsupported(req.method === 'PATCH' ? 'update' : 'remove', child.spec, childKey);
}

/** A collection that exists in Kong but never has entities here: reads find nothing, writes fail as usual. */
function emptyCollectionEndpoint(req: EntityRequest, schemaName: string, key: string | undefined): EndpointResult {
  const refusal = (operation: WriteOperation) =>
    new AdminHttpError(405, {
      ...KONG_ERROR.OPERATION_UNSUPPORTED,
      message: `cannot ${operation} '${schemaName}' entities when not using a database`,
    });
  if (key === undefined) {
    if (req.method === 'GET') {
      parsePageQuery(req.query);
      return ok({ data: [], next: null });
    }
    if (req.method === 'POST') throw refusal('create');
    throw methodNotAllowed();
  }
  switch (req.method) {
    case 'GET':
      throw notFound();
    case 'PUT':
      throw refusal('create or update');
    case 'PATCH':
      throw refusal('update');
    case 'DELETE':
      return { status: 204, body: null };
    default:
      throw methodNotAllowed();
  }
}

/** Answers an entity path, or returns undefined when the path is not one of these endpoints. */
export function handleEntityRequest(req: EntityRequest): EndpointResult | undefined {
  const [first, second, third, fourth, ...rest] = req.segments;
  const empty = EMPTY_COLLECTIONS.find((candidate) => candidate.path === first);
  if (empty) {
    // Nothing can be nested under an entity that never exists (/upstreams/{x}/targets).
    if (third !== undefined) throw notFound();
    return emptyCollectionEndpoint(req, empty.schemaName, second);
  }
  const spec = first === undefined ? undefined : specByPath(first);
  if (!spec || rest.length > 0) return undefined;

  if (second === undefined) return collectionEndpoint(req, spec);

  if (spec.collection === 'plugins' && second === 'enabled' && third === undefined) {
    if (req.method !== 'GET') throw methodNotAllowed();
    return ok({ enabled_plugins: [...req.availablePlugins] });
  }

  const key = decodeSegment(second);
  if (third === undefined) return entityEndpoint(req, spec, key);

  const fk = spec.foreignKeys.find((candidate) => candidate.field === third);
  if (fk && fourth === undefined) return foreignEntityEndpoint(req, spec, key, fk);

  const child = nestedChild(spec, third);
  if (!child) return undefined;
  if (fourth === undefined) return nestedCollectionEndpoint(req, spec, second, child);
  return nestedEntityEndpoint(req, spec, key, child, decodeSegment(fourth));
}

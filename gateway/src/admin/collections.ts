// The entity collections the read-only Admin API exposes, described the way Kong's schemas
// describe them to its endpoint generator (kong/api/endpoints.lua): the URL name, the nested
// URL name, the endpoint key that may replace the id in a URL, and the foreign keys that give
// nested routes such as /services/{x}/routes and /routes/{x}/service.

import type { EntityCollection, FlatConfig } from '../declarative/entities.js';

export interface ForeignKeySpec {
  /** Field on the child holding `{ id }`. */
  field: string;
  parent: EntityCollection;
}

export interface CollectionSpec {
  collection: EntityCollection;
  /** Kong's admin_api_name (or the schema name): `/key-auths`. */
  path: string;
  /** Kong's admin_api_nested_name: `/consumers/{x}/key-auth`. */
  nestedPath: string;
  /** A URL segment that is not a UUID is looked up by this field (Kong's endpoint_key). */
  endpointKey: string | null;
  foreignKeys: ForeignKeySpec[];
}

export const COLLECTION_SPECS: readonly CollectionSpec[] = [
  { collection: 'services', path: 'services', nestedPath: 'services', endpointKey: 'name', foreignKeys: [] },
  {
    collection: 'routes',
    path: 'routes',
    nestedPath: 'routes',
    endpointKey: 'name',
    foreignKeys: [{ field: 'service', parent: 'services' }],
  },
  { collection: 'consumers', path: 'consumers', nestedPath: 'consumers', endpointKey: 'username', foreignKeys: [] },
  {
    collection: 'plugins',
    path: 'plugins',
    nestedPath: 'plugins',
    endpointKey: 'instance_name',
    foreignKeys: [
      { field: 'route', parent: 'routes' },
      { field: 'service', parent: 'services' },
      { field: 'consumer', parent: 'consumers' },
    ],
  },
  {
    collection: 'keyauth_credentials',
    path: 'key-auths',
    nestedPath: 'key-auth',
    endpointKey: 'key',
    foreignKeys: [{ field: 'consumer', parent: 'consumers' }],
  },
  {
    collection: 'basicauth_credentials',
    path: 'basic-auths',
    nestedPath: 'basic-auth',
    endpointKey: 'username',
    foreignKeys: [{ field: 'consumer', parent: 'consumers' }],
  },
  {
    // acls have no endpoint key: a group is only unique per consumer, see findNestedEntity.
    collection: 'acls',
    path: 'acls',
    nestedPath: 'acls',
    endpointKey: null,
    foreignKeys: [{ field: 'consumer', parent: 'consumers' }],
  },
];

/**
 * Collections a DB-less Kong has but this gateway does not implement: always empty. decK's dump
 * lists certificates, snis and upstreams and fails on a 404, so they must exist to be read.
 * `schemaName` is Kong's schema name, as write errors quote it.
 */
export const EMPTY_COLLECTIONS: ReadonlyArray<{ path: string; schemaName: string }> = [
  { path: 'upstreams', schemaName: 'upstreams' },
  { path: 'certificates', schemaName: 'certificates' },
  { path: 'snis', schemaName: 'snis' },
  { path: 'ca_certificates', schemaName: 'ca_certificates' },
  { path: 'vaults', schemaName: 'vaults' },
  { path: 'key-sets', schemaName: 'key_sets' },
  { path: 'keys', schemaName: 'keys' },
];

export function specByPath(path: string): CollectionSpec | undefined {
  return COLLECTION_SPECS.find((spec) => spec.path === path);
}

export function specOf(collection: EntityCollection): CollectionSpec {
  const spec = COLLECTION_SPECS.find((candidate) => candidate.collection === collection);
  if (!spec) throw new Error(`no Admin API description for the '${collection}' collection`);
  return spec;
}

/** The child collection reached by `/<parent>/{x}/<nestedPath>`, with the foreign key that links it. */
export function nestedChild(parent: CollectionSpec, nestedPath: string): { spec: CollectionSpec; fk: ForeignKeySpec } | undefined {
  for (const spec of COLLECTION_SPECS) {
    if (spec.nestedPath !== nestedPath) continue;
    const fk = spec.foreignKeys.find((candidate) => candidate.parent === parent.collection);
    if (fk) return { spec, fk };
  }
  return undefined;
}

export type EntityRecord = { id: string } & Record<string, unknown>;

export function entitiesOf(config: FlatConfig, collection: EntityCollection): readonly EntityRecord[] {
  return config[collection] as unknown as readonly EntityRecord[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Kong's select_entity: a UUID selects by id, anything else by the endpoint key (if the schema has one). */
export function findEntity(config: FlatConfig, spec: CollectionSpec, key: string): EntityRecord | undefined {
  const entities = entitiesOf(config, spec.collection);
  if (isUuid(key)) {
    const id = key.toLowerCase();
    return entities.find((entity) => entity.id.toLowerCase() === id);
  }
  if (!spec.endpointKey) return undefined;
  const field = spec.endpointKey;
  return entities.find((entity) => entity[field] === key);
}

export function foreignId(entity: EntityRecord, field: string): string | null {
  const value = entity[field];
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return null;
}

/**
 * An entity under its parent: `/consumers/{c}/key-auth/{k}`. acls are also found by group here
 * (Kong's acl API resolves `/consumers/{c}/acls/{group}` through the consumer+group cache key).
 */
export function findNestedEntity(
  config: FlatConfig,
  spec: CollectionSpec,
  fk: ForeignKeySpec,
  parentId: string,
  key: string,
): EntityRecord | undefined {
  const underParent = entitiesOf(config, spec.collection).filter((entity) => foreignId(entity, fk.field) === parentId);
  if (isUuid(key)) return underParent.find((entity) => entity.id.toLowerCase() === key.toLowerCase());
  const field = spec.collection === 'acls' ? 'group' : spec.endpointKey;
  if (!field) return undefined;
  return underParent.find((entity) => entity[field] === key);
}

/**
 * What the Admin API shows for an entity, or null when it must stay hidden. Credentials with a
 * ttl show the seconds left and disappear once expired, as Kong's DB-less strategy does.
 */
export function presentEntity(spec: CollectionSpec, entity: EntityRecord, nowMs: number): EntityRecord | null {
  if (spec.collection !== 'keyauth_credentials') return entity;
  const ttl = entity.ttl;
  if (typeof ttl !== 'number') return entity;
  // created_at is in seconds (Kong's auto_timestamp_s); the credential expires ttl seconds later.
  const createdAt = typeof entity.created_at === 'number' ? entity.created_at : 0;
  const left = Math.floor(createdAt + ttl - nowMs / 1000);
  if (left <= 0) return null;
  return { ...entity, ttl: left };
}

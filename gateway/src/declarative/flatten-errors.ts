// Kong's flatten_errors (kong/db/errors.lua): one entry per failing entity, nested children
// hoisted, field paths dotted, everything flattened drained out of `fields`.
// Two deliberate differences: a bare message at an entity's position (uniqueness) becomes an
// entity error, as in recent Kong; errors keyed by name or id (references, custom_id) are
// attached to the entity they name when it can be found, else they stay in `fields` instead of
// being dropped.

import { compareKeys, emptyErrorTree, isIndexKey } from '../schema/error-tree.js';
import { isPlainObject, type Plain } from '../schema/engine.js';
import type { ErrorNode, ErrorTree } from '../schema/types.js';
import { collectionInfo, COLLECTIONS, isCollection } from './collections.js';
import type { EntityCollection } from './entities.js';
import type { FlattenedEntityError, FlattenedErrorItem } from './errors.js';
import { isUuid } from './ids.js';

function sortedKeys(tree: ErrorTree): string[] {
  return Object.keys(tree).sort(compareKeys);
}

function join(ns: string | undefined, key: string): string {
  return ns ? `${ns}.${key}` : key;
}

function categorize(errs: ErrorTree, ns: string | undefined, out: FlattenedErrorItem[]): FlattenedErrorItem[] {
  for (const key of sortedKeys(errs)) {
    const err = errs[key];
    if (key === '@entity') {
      if (typeof err === 'string') out.push({ type: 'entity', message: err });
      else for (const k of sortedKeys(err)) addEntityMessages(err[k], out);
    } else if (typeof err === 'string') {
      out.push({ type: 'field', field: join(ns, key), message: err });
    } else {
      categorize(err, join(ns, key), out);
    }
  }
  return out;
}

function addEntityMessages(err: ErrorNode, out: FlattenedErrorItem[]): void {
  if (typeof err === 'string') out.push({ type: 'entity', message: err });
  else for (const k of sortedKeys(err)) addEntityMessages(err[k], out);
}

function primaryKey(entity: Plain): { id: string } | undefined {
  return isUuid(entity.id) ? { id: entity.id } : undefined;
}

interface Relationships {
  /** Foreign keys the entity owns (one-to-one): field → referenced collection. */
  readonly own: readonly (readonly [string, string])[];
  /** Collections whose entities reference this one (one-to-many), nested in its input. */
  readonly children: readonly { readonly collection: EntityCollection; readonly foreignKey: string }[];
}

const RELATIONSHIPS: ReadonlyMap<EntityCollection, Relationships> = new Map(
  [...COLLECTIONS.keys()].map((collection) => [
    collection,
    {
      own: [...collectionInfo(collection).foreignKeys.entries()],
      children: [...COLLECTIONS.values()].flatMap((other) =>
        [...other.foreignKeys.entries()].filter(([, ref]) => ref === collection).map(([field]) => ({ collection: other.name, foreignKey: field })),
      ),
    },
  ]),
);

function addEntityErrors(collection: string, entity: unknown, errNode: ErrorNode | undefined, out: FlattenedEntityError[]): void {
  if (errNode === undefined) return;
  const errs: ErrorTree = typeof errNode === 'string' ? { '@entity': { '1': errNode } } : Object.assign(emptyErrorTree(), errNode);
  if (Object.keys(errs).length === 0 || !isPlainObject(entity)) return;
  const pk = primaryKey(entity);
  if (isCollection(collection)) {
    const { own, children } = RELATIONSHIPS.get(collection)!;
    for (const [field, reference] of own) {
      const value = entity[field];
      if (!isPlainObject(value)) continue;
      const ref = primaryKey(value);
      if (ref) entity[field] = ref;
      else delete entity[field];
      const fieldErr = errs[field];
      delete errs[field];
      addEntityErrors(reference, value, fieldErr, out);
    }
    for (const child of children) {
      const value = entity[child.collection];
      if (typeof value !== 'object' || value === null) continue;
      delete entity[child.collection];
      const childErrs = errs[child.collection];
      delete errs[child.collection];
      if (!childErrs || typeof childErrs === 'string' || !Array.isArray(value)) continue;
      value.forEach((item, i) => {
        if (isPlainObject(item) && item[child.foreignKey] === undefined && pk) item[child.foreignKey] = pk;
        addEntityErrors(child.collection, item, childErrs[String(i + 1)], out);
      });
    }
  }
  if (Object.keys(errs).length === 0) return;
  const errors = categorize(errs, undefined, []);
  if (errors.length === 0) return;
  // Kong quotes the entity as given; a basic-auth or Redis password in clear must not come back in an answer.
  if (collection === 'basicauth_credentials' && typeof entity.password === 'string') entity.password = REDACTED;
  if (collection === 'plugins') redactRedisPassword(entity.config);
  const item: FlattenedEntityError = { entity_type: singular(collection), entity, errors };
  if (typeof entity.name === 'string' && entity.name.length > 0) item.entity_name = entity.name;
  if (isUuid(entity.id)) item.entity_id = entity.id;
  if (Array.isArray(entity.tags) && entity.tags.every((t) => typeof t === 'string')) item.entity_tags = entity.tags as string[];
  out.push(item);
}

/** What a quoted password shows instead of itself. */
export const REDACTED = '<redacted>';

/** rate-limiting's `redis.password` and its legacy `redis_password`. */
function redactRedisPassword(config: unknown): void {
  if (!isPlainObject(config)) return;
  if (typeof config.redis_password === 'string') config.redis_password = REDACTED;
  if (isPlainObject(config.redis) && typeof config.redis.password === 'string') config.redis.password = REDACTED;
}

function singular(collection: string): string {
  return collection.endsWith('s') ? collection.slice(0, -1) : collection;
}

/** Finds the input object of an entity named by endpoint key or id (errors keyed by name). */
export type EntityLocator = (collection: EntityCollection, key: string) => Plain | undefined;

/**
 * Flattens `errs` against the input. Both are mutated, like Kong does: what is flattened is
 * drained from `errs`, and nested arrays are removed from the entities quoted in the result.
 */
export function flattenErrors(input: Plain, errs: ErrorTree, locate?: EntityLocator): FlattenedEntityError[] {
  const flattened: FlattenedEntityError[] = [];
  for (const section of sortedKeys(errs)) {
    const sectionErrors = errs[section];
    const entities = input[section];
    if (typeof sectionErrors === 'string' || !isCollection(section) || !Array.isArray(entities)) continue;
    delete errs[section];
    const kept = emptyErrorTree();
    for (const key of sortedKeys(sectionErrors)) {
      const err = sectionErrors[key];
      if (isIndexKey(key) && isPlainObject(entities[Number(key) - 1])) {
        addEntityErrors(section, entities[Number(key) - 1], err, flattened);
        continue;
      }
      const named = isIndexKey(key) ? undefined : locate?.(section, key);
      if (named) {
        addEntityErrors(section, named, typeof err === 'string' ? err : { '@entity': err }, flattened);
      } else {
        kept[key] = err;
      }
    }
    if (Object.keys(kept).length > 0) errs[section] = kept;
  }
  return flattened;
}

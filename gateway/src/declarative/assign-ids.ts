// Ids and auto fields of a validated document, following Kong's generate_ids: an entity without
// an id gets the UUIDv5 of its cache key (plugins, credentials) or of its endpoint key (name,
// username); anything else gets a random id. Keys Kong marks `auto` (keyauth `key`) make the id
// random even when the key is given.

import type { Plain } from '../schema/engine.js';
import { collectionInfo } from './collections.js';
import type { EntityCollection } from './entities.js';
import { entityUuid, randomCredentialKey, randomId } from './ids.js';
import type { EntityNode } from './validate-document.js';

/** Kong's build_cache_key: `<collection>:<workspace>:<value>:…` from the raw input item. */
function cacheKeyFor(node: EntityNode, cacheKey: readonly string[], parentId: string | undefined): string | null {
  const info = collectionInfo(node.collection);
  const fields = new Map(info.schema.fields);
  // No workspace is ever given in a DB-less file, so Kong's ws_id_for() yields "*".
  const parts = [node.collection, '*'];
  for (const name of cacheKey) {
    const field = fields.get(name);
    if (!field || field.auto) return null;
    const value = node.raw[name];
    if (typeof value === 'string') {
      parts.push(value);
    } else if (value === undefined) {
      if (name === node.parentKey) {
        if (parentId === undefined) return null;
        parts.push(parentId);
      } else if (field.required) {
        return null;
      } else {
        parts.push('');
      }
    }
    // Other values (null, {id=…}) are skipped without a separator, exactly like Kong.
  }
  return parts.join(':');
}

function deterministicId(node: EntityNode, parentId: string | undefined): string | undefined {
  const { schema } = collectionInfo(node.collection);
  if (schema.cache_key) {
    const key = cacheKeyFor(node, schema.cache_key, parentId);
    return key === null ? undefined : entityUuid(node.collection, key);
  }
  const endpointKey = schema.endpoint_key;
  const value = endpointKey ? node.raw[endpointKey] : undefined;
  if (typeof value === 'string') return entityUuid(node.collection, value);
  return undefined;
}

function assign(node: EntityNode, parentId: string | undefined, nowSeconds: number): void {
  const given = node.raw.id;
  const id = typeof given === 'string' ? given : deterministicId(node, parentId);
  // Kong derives children's keys from the parent id known at that point; a parent that only gets
  // a random id later leaves its children random too.
  for (const child of node.children) assign(child, id, nowSeconds);
  node.id = id ?? randomId();
  fillAutoFields(node.collection, node.record, nowSeconds);
}

function fillAutoFields(collection: EntityCollection, record: Plain, nowSeconds: number): void {
  const info = collectionInfo(collection);
  if (typeof record.created_at !== 'number') record.created_at = nowSeconds;
  if (info.hasUpdatedAt) record.updated_at = nowSeconds;
  if (collection === 'keyauth_credentials' && typeof record.key !== 'string') record.key = randomCredentialKey();
}

export function assignIds(top: Map<EntityCollection, EntityNode[]>, nowSeconds: number): void {
  for (const nodes of top.values()) for (const node of nodes) assign(node, undefined, nowSeconds);
}

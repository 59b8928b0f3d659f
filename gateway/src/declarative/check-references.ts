// References and uniqueness across the document, in Kong's order and with Kong's error shapes
// (declarative_config.lua populate_references / validate_references / flatten):
//  - duplicate endpoint key (name, username, key, instance_name): `errs[collection][index]`;
//  - duplicate primary key: the same, or `errs[parent][parentIndex][collection][index]` when nested;
//  - unresolved reference: a list under `errs[collection][<name or id>]`;
//  - other unique fields (custom_id): `errs[collection][<name or id>]`, only the last one survives.

import { appendToList, emptyErrorTree } from '../schema/error-tree.js';
import { isPlainObject } from '../schema/engine.js';
import type { ErrorTree } from '../schema/types.js';
import { collectionInfo, KNOWN_ENTITIES } from './collections.js';
import type { EntityCollection } from './entities.js';
import type { EntityNode } from './validate-document.js';

function uniquenessMessage(collection: string, field: string, value: string): string {
  return `uniqueness violation: '${collection}' entity with ${field} set to '${value}' already declared`;
}

interface ExpectedReference {
  collection: EntityCollection;
  reference: string;
  field: string;
  value: unknown;
  at: string;
}

export class EntityIndex {
  readonly byKey = new Map<string, Map<string, EntityNode>>();
  readonly byId = new Map<string, Map<string, EntityNode>>();
  /** Every entity in Kong's registration order (children before their parent). */
  readonly registered: EntityNode[] = [];

  find(collection: string, key: string): EntityNode | undefined {
    return this.byKey.get(collection)?.get(key) ?? this.byId.get(collection)?.get(key);
  }

  /** A foreign key value (`name`, `id` or `{ id }`) → the referenced entity. */
  resolve(collection: string, value: unknown): EntityNode | undefined {
    const key = isPlainObject(value) ? value.id : value;
    return typeof key === 'string' ? this.find(collection, key) : undefined;
  }
}

function subtree(errs: ErrorTree, ...path: string[]): ErrorTree {
  let node = errs;
  for (const part of path) {
    const next = node[part];
    node = typeof next === 'object' ? next : (node[part] = emptyErrorTree());
  }
  return node;
}

function endpointKeyValue(node: EntityNode): string | undefined {
  const { schema } = collectionInfo(node.collection);
  const endpointKey = schema.endpoint_key;
  if (!endpointKey) return undefined;
  const unique = schema.fields.find(([name]) => name === endpointKey)?.[1].unique;
  const value = node.record[endpointKey];
  return unique && typeof value === 'string' ? value : undefined;
}

function populate(groups: Map<EntityCollection, EntityNode[]>, index: EntityIndex, expected: ExpectedReference[], errs: ErrorTree): void {
  for (const collection of KNOWN_ENTITIES) {
    const nodes = groups.get(collection);
    if (!nodes) continue;
    const info = collectionInfo(collection);
    for (const node of nodes) {
      populate(node.childGroups, index, expected, errs);
      const position = String(node.index);
      const key = endpointKeyValue(node);
      let failed = false;
      if (key !== undefined) {
        const keys = index.byKey.get(collection) ?? new Map<string, EntityNode>();
        index.byKey.set(collection, keys);
        if (keys.has(key)) {
          subtree(errs, collection)[position] = uniquenessMessage(collection, info.schema.endpoint_key!, key);
          failed = true;
        } else {
          keys.set(key, node);
        }
      }
      const ids = index.byId.get(collection) ?? new Map<string, EntityNode>();
      index.byId.set(collection, ids);
      if (!failed && ids.has(node.id)) {
        const target = node.parent
          ? subtree(errs, node.parent.collection, String(node.parent.index), collection)
          : subtree(errs, collection);
        target[position] = uniquenessMessage(collection, 'primary key', node.id);
      } else {
        ids.set(node.id, node);
        index.registered.push(node);
      }
      for (const [field, reference] of info.foreignKeys) {
        if (field === node.parentKey) continue;
        const value = node.record[field];
        if (value === undefined || value === null) continue;
        expected.push({ collection, reference, field, value, at: key ?? node.id });
      }
    }
  }
}

function otherUniqueFields(index: EntityIndex, errs: ErrorTree): void {
  for (const collection of KNOWN_ENTITIES) {
    const info = collectionInfo(collection);
    const endpointKey = info.schema.endpoint_key;
    const uniqueFields = info.schema.fields.filter(([name, def]) => def.unique && name !== endpointKey);
    if (uniqueFields.length === 0) continue;
    const seen = new Map<string, Set<string>>();
    for (const node of index.registered) {
      if (node.collection !== collection) continue;
      for (const [name] of uniqueFields) {
        const value = node.record[name];
        if (typeof value !== 'string') continue;
        const values = seen.get(name) ?? new Set<string>();
        seen.set(name, values);
        if (values.has(value)) {
          // Kong resets the collection's table on every violation, so only the last one is reported.
          const at = endpointKey && typeof node.record[endpointKey] === 'string' ? (node.record[endpointKey] as string) : node.id;
          const reset = emptyErrorTree();
          reset[at] = uniquenessMessage(collection, name, value);
          errs[collection] = reset;
        } else {
          values.add(value);
        }
      }
    }
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value).replace(/\//g, '\\/');
}

/**
 * Registers every entity, checks uniqueness and references. Returns the index used to resolve
 * foreign keys, or the Kong error table.
 */
export function checkReferences(top: Map<EntityCollection, EntityNode[]>): { index: EntityIndex; errors: ErrorTree | null } {
  const index = new EntityIndex();
  const expected: ExpectedReference[] = [];
  const errs = emptyErrorTree();
  populate(top, index, expected, errs);
  for (const ref of expected) {
    if (index.resolve(ref.reference, ref.value)) continue;
    const message = `invalid reference '${ref.field}: ${describe(ref.value)}' (no such entry in '${ref.reference}')`;
    appendToList(subtree(errs, ref.collection), ref.at, message);
  }
  if (Object.keys(errs).length > 0) return { index, errors: errs };
  otherUniqueFields(index, errs);
  return { index, errors: Object.keys(errs).length > 0 ? errs : null };
}

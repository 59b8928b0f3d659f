// Walks a declaration's entities, nested ones included, parents before their children:
// services → routes, plugins; routes → plugins; consumers → plugins and credentials.

import { KNOWN_COLLECTIONS, type ForeignField, type RawEntity } from './entity-model.js';

interface ChildCollection {
  key: string;
  collection: string;
  /** The field through which the child points at its parent. */
  field: ForeignField;
}

export const NESTED_CHILDREN: Record<string, ChildCollection[]> = {
  services: [
    { key: 'routes', collection: 'routes', field: 'service' },
    { key: 'plugins', collection: 'plugins', field: 'service' },
  ],
  routes: [{ key: 'plugins', collection: 'plugins', field: 'route' }],
  consumers: [
    { key: 'plugins', collection: 'plugins', field: 'consumer' },
    { key: 'keyauth_credentials', collection: 'keyauth_credentials', field: 'consumer' },
    { key: 'basicauth_credentials', collection: 'basicauth_credentials', field: 'consumer' },
    { key: 'acls', collection: 'acls', field: 'consumer' },
  ],
};

export interface WalkedEntity {
  readonly collection: string;
  readonly entity: RawEntity;
  readonly parent?: WalkedEntity;
  readonly parentField?: ForeignField;
  /** `services[0].routes[1]`, for messages. */
  readonly path: string;
}

export interface ShapeProblem {
  path: string;
  /** The list or value that has the wrong shape (for its position). */
  node: unknown;
  message: string;
}

function isMapping(value: unknown): value is RawEntity {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Top-level keys that hold entity lists: everything that is not one of the `_…` settings. */
export function isCollectionKey(key: string): boolean {
  return !key.startsWith('_');
}

export function walkEntities(document: Record<string, unknown>, onProblem: (problem: ShapeProblem) => void): WalkedEntity[] {
  const out: WalkedEntity[] = [];
  const visitList = (list: unknown, collection: string, path: string, parent?: WalkedEntity, parentField?: ForeignField) => {
    if (list === null || list === undefined) return;
    if (!Array.isArray(list)) {
      onProblem({ path, node: list, message: `${path} must be a list` });
      return;
    }
    list.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (!isMapping(item)) {
        onProblem({ path: itemPath, node: list, message: `${itemPath} must be a mapping (field: value), not ${Array.isArray(item) ? 'a list' : JSON.stringify(item)}` });
        return;
      }
      const walked: WalkedEntity = { collection, entity: item, parent, parentField, path: itemPath };
      out.push(walked);
      for (const child of NESTED_CHILDREN[collection] ?? []) {
        visitList(item[child.key], child.collection, `${itemPath}.${child.key}`, walked, child.field);
      }
    });
  };
  for (const [key, value] of Object.entries(document)) {
    if (!isCollectionKey(key)) continue;
    // A scalar under an unknown top-level key is not ours to judge: the gateway answers "unknown field".
    if (!Array.isArray(value) && !(key in KNOWN_COLLECTIONS)) continue;
    visitList(value, key, key);
  }
  return out;
}

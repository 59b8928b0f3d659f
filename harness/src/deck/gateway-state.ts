// The gateway's running configuration as `GET /config` exports it (Kong's YAML: flat collections,
// foreign keys as ids, every default filled), turned into entity nodes.

import yaml from 'js-yaml';
import { collectionInfo, FOREIGN_COLLECTION, type EntityNode, type ForeignField, type RawEntity } from './entity-model.js';
import { NESTED_CHILDREN, walkEntities } from './nesting.js';

export interface GatewayState {
  /** Every entity, parents before children; foreign keys normalized to id strings. */
  readonly nodes: EntityNode[];
}

/** A foreign key as Kong writes it: `"<id>"`, `{id: "<id>"}` or null. */
export function foreignId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return null;
}

export function emptyGatewayState(): GatewayState {
  return { nodes: [] };
}

/** Builds nodes from a flat (or nested) Kong declarative document whose references are ids. */
export function gatewayStateFromDocument(document: Record<string, unknown>): GatewayState {
  const walked = walkEntities(document, () => undefined);
  const byId = new Map<string, EntityNode>();
  const nodes: Array<{ node: EntityNode; refs: Partial<Record<ForeignField, EntityNode>>; pending: Array<[ForeignField, string]> }> = [];
  for (const item of walked) {
    const entity: RawEntity = { ...item.entity };
    // Nested children become nodes of their own.
    for (const child of NESTED_CHILDREN[item.collection] ?? []) if (Array.isArray(entity[child.key])) delete entity[child.key];
    const refs: Partial<Record<ForeignField, EntityNode>> = {};
    const pending: Array<[ForeignField, string]> = [];
    for (const field of collectionInfo(item.collection).foreignKeys) {
      const id = foreignId(entity[field]);
      if (id) {
        entity[field] = id;
        pending.push([field, id]);
      }
    }
    if (item.parent && item.parentField) {
      const parentId = foreignId(item.parent.entity.id);
      if (parentId) {
        entity[item.parentField] = parentId;
        pending.push([item.parentField, parentId]);
      }
    }
    const node: EntityNode = { collection: item.collection, entity, refs };
    nodes.push({ node, refs, pending });
    if (typeof entity.id === 'string') byId.set(`${item.collection}|${entity.id}`, node);
  }
  for (const { refs, pending } of nodes) {
    for (const [field, id] of pending) {
      const target = byId.get(`${FOREIGN_COLLECTION[field]}|${id}`);
      if (target) refs[field] = target;
    }
  }
  return { nodes: nodes.map(({ node }) => node) };
}

/** Parses the `config` string of `GET /config`. */
export function parseExportedConfig(exported: string): GatewayState {
  const document = yaml.load(exported);
  if (document === null || document === undefined) return emptyGatewayState();
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new Error('GET /config returned a config that is not a mapping');
  }
  return gatewayStateFromDocument(document as Record<string, unknown>);
}

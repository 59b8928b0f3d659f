// Turns the validated entity tree into the FlatConfig: declaration order (each parent before its
// nested children), foreign keys as `{ id }`, fields in the FlatConfig order.

import type { Plain } from '../schema/engine.js';
import { hashBasicAuthPassword } from '../plugins/basic-auth/crypto.js';
import { collectionInfo } from './collections.js';
import type { EntityIndex } from './check-references.js';
import { emptyFlatConfig, type EntityCollection, type FlatConfig } from './entities.js';
import type { EntityNode } from './validate-document.js';

function toEntity(node: EntityNode, index: EntityIndex, transform: boolean): Plain {
  const info = collectionInfo(node.collection);
  const out: Plain = {};
  for (const field of info.outputFields) {
    if (field === 'id') {
      out.id = node.id;
    } else if (field === node.parentKey && node.parent) {
      out[field] = { id: node.parent.id };
    } else if (info.foreignKeys.has(field)) {
      const value = node.record[field];
      const target = value === null || value === undefined ? undefined : index.resolve(info.foreignKeys.get(field)!, value);
      out[field] = target ? { id: target.id } : null;
    } else {
      out[field] = node.record[field] ?? null;
    }
  }
  // Kong's on_write transformation; `_transform: false` declarations (GET /config's own output) are already hashed.
  if (node.collection === 'basicauth_credentials' && transform && typeof out.password === 'string') {
    const consumer = out.consumer as { id: string };
    out.password = hashBasicAuthPassword(out.password, consumer.id);
  }
  return out;
}

export function buildFlatConfig(top: Map<EntityCollection, EntityNode[]>, index: EntityIndex, transform: boolean): FlatConfig {
  const config = emptyFlatConfig();
  const collections = config as unknown as Record<EntityCollection, Plain[]>;
  const visit = (node: EntityNode) => {
    collections[node.collection].push(toEntity(node, index, transform));
    for (const child of node.children) visit(child);
  };
  for (const nodes of top.values()) for (const node of nodes) visit(node);
  return config;
}

// What a sync changed, in decK's terms: entities matched by decK's identity (service name, route
// name, consumer username, plugin name + scope, key-auth key, …) between the running state before
// and after, in decK's order (creates and updates by dependency level, then deletes in reverse).

import {
  collectionInfo,
  collectionRank,
  consoleName,
  FOREIGN_COLLECTION,
  identity,
  type EntityNode,
  type RawEntity,
} from './entity-model.js';
import { renderFieldDiff } from './field-diff.js';
import type { SyncChange } from './types.js';

const NOT_COMPARED = new Set(['id', 'created_at', 'updated_at']);

/** The fields decK compares: no id or timestamps, references by their endpoint key, tags as a set. */
export function comparableFields(node: EntityNode): RawEntity {
  const fields: RawEntity = {};
  const foreign = collectionInfo(node.collection).foreignKeys as string[];
  for (const [field, value] of Object.entries(node.entity)) {
    if (NOT_COMPARED.has(field)) continue;
    if (foreign.includes(field)) {
      const ref = node.refs[field as keyof typeof FOREIGN_COLLECTION];
      fields[field] = ref ? consoleName(ref) : value;
    } else if (field === 'tags') {
      fields.tags = Array.isArray(value) && value.length > 0 ? [...value].map(String).sort() : null;
    } else {
      fields[field] = value;
    }
  }
  return fields;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

interface Keyed {
  key: string;
  node: EntityNode;
  order: number;
}

function keyed(nodes: EntityNode[], side: string): Map<string, Keyed> {
  const map = new Map<string, Keyed>();
  nodes.forEach((node, order) => {
    // An entity decK cannot identify is matched by nothing: it is deleted and created.
    const key = identity(node) ?? `unidentified:${side}:${order}`;
    if (!map.has(key)) map.set(key, { key, node, order });
  });
  return map;
}

function change(action: SyncChange['action'], node: EntityNode, body: SyncChange['body'], diff?: string): SyncChange {
  const kind = collectionInfo(node.collection).kind;
  const name = consoleName(node);
  const line = diff === undefined ? `${action} ${kind} ${name}` : `${action} ${kind} ${name}  ${diff}`;
  return { action, kind, name, line, body };
}

function withId(node: EntityNode, fields: RawEntity = comparableFields(node)): RawEntity {
  return node.entity.id === undefined ? fields : { id: node.entity.id, ...fields };
}

/** How a predicted state is compared (harness/src/deck/predict.ts): without schema defaults. */
export interface DefaultsAwareComparison {
  strip(node: EntityNode, fields: RawEntity): RawEntity;
  /** The fields `own` lacks and `other` has, as the gateway would hold them (defaults, else null). */
  fillMissing(node: EntityNode, own: RawEntity, other: RawEntity): RawEntity;
}

export function diffStates(before: EntityNode[], after: EntityNode[], comparison?: DefaultsAwareComparison): SyncChange[] {
  const old = keyed(before, 'before');
  const next = keyed(after, 'after');
  const byRank = (a: Keyed, b: Keyed) => collectionRank(a.node.collection) - collectionRank(b.node.collection) || a.order - b.order;

  const createsAndUpdates: Array<{ item: Keyed; change: SyncChange }> = [];
  for (const item of next.values()) {
    const previous = old.get(item.key);
    if (!previous) {
      createsAndUpdates.push({ item, change: change('creating', item.node, { old: null, new: withId(item.node) }) });
      continue;
    }
    let oldFields = comparableFields(previous.node);
    let newFields = comparableFields(item.node);
    if (comparison) {
      const oldStripped = comparison.strip(previous.node, oldFields);
      const newStripped = comparison.strip(item.node, newFields);
      oldFields = comparison.fillMissing(previous.node, oldStripped, newStripped);
      newFields = comparison.fillMissing(item.node, newStripped, oldStripped);
    }
    if (canonical(oldFields) !== canonical(newFields)) {
      // A predicted entity has no id yet when it is matched by name: it keeps the running one's.
      const oldBody = { ...oldFields, id: previous.node.entity.id };
      const newBody = { ...newFields, id: item.node.entity.id ?? previous.node.entity.id };
      createsAndUpdates.push({ item, change: change('updating', item.node, { old: oldBody, new: newBody }, renderFieldDiff(oldBody, newBody)) });
    }
  }
  createsAndUpdates.sort((a, b) => byRank(a.item, b.item));

  const deletes = [...old.values()].filter((item) => !next.has(item.key));
  deletes.sort((a, b) => collectionRank(b.node.collection) - collectionRank(a.node.collection) || a.order - b.order);

  return [...createsAndUpdates.map(({ change: c }) => c), ...deletes.map((item) => change('deleting', item.node, { old: withId(item.node), new: null }))];
}

export function summarize(changes: SyncChange[]): { created: number; updated: number; deleted: number } {
  return {
    created: changes.filter((c) => c.action === 'creating').length,
    updated: changes.filter((c) => c.action === 'updating').length,
    deleted: changes.filter((c) => c.action === 'deleting').length,
  };
}

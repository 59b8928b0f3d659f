// `deck gateway dump`: the running state (GET /config) in decK's file layout. Routes and plugins
// nest under the one entity they belong to, credentials under their consumer; a plugin scoped to
// several entities stays top-level and names them. No ids or timestamps unless asked, no nulls,
// keys in alphabetical order; `--select-tag` keeps the entities carrying all the tags.

import yaml from 'js-yaml';
import type { AdminClient } from './admin-client.js';
import { collectionRank, consoleName, hasAllTags, type EntityNode, type RawEntity } from './entity-model.js';
import type { GatewayState } from './gateway-state.js';
import { NESTED_CHILDREN } from './nesting.js';
import { SchemaDefaults } from './predict.js';

export interface DumpOptions {
  selectTags: string[];
  withId: boolean;
  skipDefaults: boolean;
  format: 'yaml' | 'json';
  /** Konnect mode: decK writes the control plane it read from. */
  controlPlane: string | null;
}

const TIMESTAMPS = new Set(['created_at', 'updated_at']);

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) if (inner !== null) out[key] = withoutNulls(inner);
  return out;
}

/** The parent a child nests under in decK's layout, with the list it goes in; null = top-level. */
function nestingParent(node: EntityNode): { parent: EntityNode; key: string } | null {
  const refs = (['service', 'route', 'consumer'] as const).filter((field) => node.refs[field]);
  if (refs.length !== 1) return null;
  const parent = node.refs[refs[0]]!;
  const child = (NESTED_CHILDREN[parent.collection] ?? []).find((candidate) => candidate.collection === node.collection && candidate.field === refs[0]);
  return child ? { parent, key: child.key } : null;
}

export async function dumpState(state: GatewayState, admin: AdminClient, options: DumpOptions): Promise<string> {
  const nodes = state.nodes.filter((node) => hasAllTags(node.entity, options.selectTags));
  const defaults = options.skipDefaults ? await SchemaDefaults.load(admin, nodes) : null;
  const visible = new Set(nodes);
  const shaped = new Map<EntityNode, RawEntity>();
  const ordered = [...nodes].sort((a, b) => collectionRank(a.collection) - collectionRank(b.collection));
  for (const node of ordered) {
    let entity: RawEntity = {};
    for (const [field, value] of Object.entries(node.entity)) {
      if (TIMESTAMPS.has(field) || (field === 'id' && !options.withId)) continue;
      entity[field] = value;
    }
    for (const field of ['service', 'route', 'consumer'] as const) {
      if (!(field in entity)) continue;
      const ref = node.refs[field];
      // Kong's foreign keys become decK's names (the id when asked for ids, or when nothing names it).
      entity[field] = ref ? (options.withId ? ref.entity.id : consoleName(ref)) : entity[field];
    }
    if (defaults) entity = { ...(options.withId && node.entity.id !== undefined ? { id: node.entity.id } : {}), ...defaults.strip(node, entity) };
    shaped.set(node, entity);
  }
  const document: Record<string, unknown> = {};
  for (const node of ordered) {
    const entity = shaped.get(node)!;
    const nest = nestingParent(node);
    if (nest && visible.has(nest.parent)) {
      const parentField = (['service', 'route', 'consumer'] as const).find((field) => node.refs[field] === nest.parent)!;
      delete entity[parentField];
      const parent = shaped.get(nest.parent)!;
      parent[nest.key] = [...((parent[nest.key] as RawEntity[] | undefined) ?? []), entity];
      continue;
    }
    document[node.collection] = [...((document[node.collection] as RawEntity[] | undefined) ?? []), entity];
  }
  const head: Record<string, unknown> = { _format_version: '3.0' };
  if (options.selectTags.length > 0) head._info = { select_tags: options.selectTags };
  if (options.controlPlane !== null) head._konnect = { control_plane_name: options.controlPlane };
  const body = sortedKeys(withoutNulls(document)) as Record<string, unknown>;
  const out = { ...head, ...body };
  if (options.format === 'json') return `${JSON.stringify(out, null, 2)}\n`;
  return yaml.dump(out, { noRefs: true, lineWidth: -1, noArrayIndent: true, quotingType: '"' });
}

// `deck gateway diff` changes nothing, so the state after a sync is predicted instead of read back:
// the file's entities as the gateway would store them. Both sides are compared without the values
// the gateway's schemas (GET /schemas/…) fill in by default, as decK does, so defaults never show
// up as diffs and a gateway that fills more (or fewer) defaults than expected changes nothing.

import type { AdminClient } from './admin-client.js';
import { collectionInfo, type EntityNode, type RawEntity } from './entity-model.js';
import { NESTED_CHILDREN } from './nesting.js';
import type { FileNode } from './plan-sync.js';

interface SchemaField {
  type?: string;
  default?: unknown;
  fields?: SchemaFields;
}

/** Kong's JSON form: an ordered list of one-key objects `{ "<name>": {…} }`. */
type SchemaFields = Array<Record<string, SchemaField>>;

type FieldIndex = Map<string, SchemaField>;

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function indexFields(fields: unknown): FieldIndex {
  const index: FieldIndex = new Map();
  if (!Array.isArray(fields)) return index;
  for (const entry of fields) {
    if (!isMapping(entry)) continue;
    for (const [name, def] of Object.entries(entry)) if (isMapping(def)) index.set(name, def as SchemaField);
  }
  return index;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/** The fields that differ from what the schema fills in: no nulls, no defaults, no empty records. */
function withoutDefaults(value: Record<string, unknown>, index: FieldIndex): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    const def = index.get(name);
    if (isEmpty(inner) && (def?.default === undefined || isEmpty(def.default))) continue;
    if (def && def.default !== undefined && sameValue(inner, def.default)) continue;
    if (def?.type === 'record' && isMapping(inner)) {
      const stripped = withoutDefaults(inner, indexFields(def.fields));
      if (Object.keys(stripped).length > 0) out[name] = stripped;
      continue;
    }
    out[name] = inner;
  }
  return out;
}

function fillFrom(index: FieldIndex, own: Record<string, unknown>, other: Record<string, unknown>): Record<string, unknown> {
  const out = { ...own };
  for (const [name, otherValue] of Object.entries(other)) {
    const def = index.get(name);
    if (def?.type === 'record' && isMapping(otherValue) && (out[name] === undefined || isMapping(out[name]))) {
      out[name] = fillFrom(indexFields(def.fields), (out[name] as Record<string, unknown> | undefined) ?? {}, otherValue);
    } else if (out[name] === undefined) {
      out[name] = def?.default !== undefined ? def.default : null;
    }
  }
  return out;
}

/** Schemas of the collections and plugins in play, fetched before comparing (the comparison itself is synchronous). */
export class SchemaDefaults {
  readonly #indexes = new Map<string, FieldIndex>();

  static async load(admin: AdminClient, nodes: EntityNode[]): Promise<SchemaDefaults> {
    const defaults = new SchemaDefaults();
    const paths = new Set<string>();
    for (const node of nodes) {
      paths.add(node.collection);
      if (node.collection === 'plugins' && typeof node.entity.name === 'string') paths.add(`plugins/${node.entity.name}`);
    }
    await Promise.all(
      [...paths].map(async (path) => {
        const schema = await admin.schema(path);
        defaults.#indexes.set(path, indexFields(isMapping(schema) ? schema.fields : undefined));
      }),
    );
    return defaults;
  }

  #index(node: EntityNode): FieldIndex {
    const own = this.#indexes.get(node.collection) ?? new Map();
    if (node.collection !== 'plugins') return own;
    // A plugin's own schema (config, protocols) refines the plugin entity's.
    return new Map([...own, ...(this.#indexes.get(`plugins/${String(node.entity.name)}`) ?? new Map())]);
  }

  /**
   * For diffStates: what is compared. A basic-auth password is not: the gateway holds only its hash,
   * so (as decK, which compares basic-auth with ignorePassword) a diff cannot see it change.
   */
  strip(node: EntityNode, fields: RawEntity): RawEntity {
    const stripped = withoutDefaults(fields, this.#index(node));
    if (node.collection === 'basicauth_credentials') delete stripped.password;
    return stripped;
  }

  /**
   * For the field diff: a field `own` lacks but `other` has is shown as what the gateway holds for
   * it, its default or null (as decK's fillMissingDefaults), records field by field.
   */
  fillMissing(node: EntityNode, own: RawEntity, other: RawEntity): RawEntity {
    return fillFrom(this.#index(node), own, other);
  }
}

/** Kong's `url` shorthand of a service, expanded as the gateway would. */
function expandServiceUrl(entity: RawEntity): void {
  if (typeof entity.url !== 'string') return;
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(entity.url);
  if (!match) return;
  const protocol = match[1].toLowerCase();
  delete entity.url;
  entity.protocol ??= protocol;
  entity.host ??= match[2];
  entity.port ??= match[3] !== undefined ? Number(match[3]) : protocol === 'https' ? 443 : 80;
  if (match[4] !== '') entity.path ??= match[4];
}

/** A file entity as the gateway would hold it: no nested lists, references as (resolved) foreign keys. */
export function predictedNode(node: FileNode): EntityNode {
  const entity: RawEntity = { ...node.entity };
  for (const child of NESTED_CHILDREN[node.collection] ?? []) delete entity[child.key];
  for (const field of collectionInfo(node.collection).foreignKeys) {
    delete entity[field];
    // comparableFields names a reference by its target, so any value will do while refs has it.
    if (node.refs[field]) entity[field] = String(node.refs[field]!.entity.id ?? field);
  }
  if (node.collection === 'services') expandServiceUrl(entity);
  return { collection: node.collection, entity, refs: node.refs };
}

// Schema validation of a whole declarative document: top-level keys, then every entity (nested
// ones included) with defaults filled. The result keeps the entity tree for the later passes
// (ids, references, uniqueness) and the Kong-shaped error table.

import { isPlainObject, processAndValidate, setOwn, validateField, type Plain } from '../schema/engine.js';
import { emptyErrorTree } from '../schema/error-tree.js';
import { MSG } from '../schema/messages.js';
import type { EntitySchemaDef, ErrorTree, FieldDef } from '../schema/types.js';
import { collectionInfo, isCollection, type CollectionInfo } from './collections.js';
import type { EntityCollection } from './entities.js';
import { isUuid, randomId } from './ids.js';

export const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'] as const;

const TOP_LEVEL_FIELDS: ReadonlyMap<string, FieldDef> = new Map<string, FieldDef>([
  ['_format_version', { type: 'string', required: true, one_of: FORMAT_VERSIONS }],
  ['_transform', { type: 'boolean' }],
  ['_comment', { type: 'string' }],
  ['_ignore', { type: 'array', elements: { type: 'any' } }],
]);

/** Fields every declarative entity accepts besides its own (and ignores). */
const EXTRA_ATTRIBUTES: EntitySchemaDef['fields'] = [
  ['_comment', { type: 'string' }],
  ['_ignore', { type: 'array', elements: { type: 'any' } }],
];

const declarativeSchemas = new Map<EntityCollection, EntitySchemaDef>();

function declarativeSchema(info: CollectionInfo): EntitySchemaDef {
  let schema = declarativeSchemas.get(info.name);
  if (!schema) {
    schema = { ...info.schema, fields: [...info.schema.fields, ...EXTRA_ATTRIBUTES] };
    declarativeSchemas.set(info.name, schema);
  }
  return schema;
}

export interface EntityNode {
  readonly collection: EntityCollection;
  /** The input object (after format migration). */
  readonly raw: Plain;
  /** 1-based position in its array, as in Kong's error tables. */
  readonly index: number;
  readonly parent: EntityNode | null;
  /** The foreign key that points at `parent`. */
  readonly parentKey: string | null;
  /** Nested children in declaration order, and grouped by collection in key order. */
  readonly children: EntityNode[];
  readonly childGroups: Map<EntityCollection, EntityNode[]>;
  /** Own fields with defaults filled (no nested arrays, no _comment/_ignore). */
  record: Plain;
  /** Filled by the id pass. */
  id: string;
  /** An id usable for foreign keys while validating (the input id when valid). */
  readonly validationId: string;
}

export interface ValidatedDocument {
  errors: ErrorTree | null;
  /** Top-level entities grouped by collection, in input key order. */
  readonly top: Map<EntityCollection, EntityNode[]>;
}

function asArray(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value) && Object.keys(value).length === 0) return [];
  return null;
}

function validateEntity(
  collection: EntityCollection,
  raw: unknown,
  index: number,
  parent: EntityNode | null,
  parentKey: string | null,
): { node: EntityNode | null; error: ErrorTree | string | null } {
  if (raw === null) return { node: null, error: MSG.REQUIRED };
  if (!isPlainObject(raw)) return { node: null, error: MSG.RECORD };
  const info = collectionInfo(collection);
  const node: EntityNode = {
    collection,
    raw,
    index,
    parent,
    parentKey,
    children: [],
    childGroups: new Map(),
    record: {},
    id: '',
    validationId: isUuid(raw.id) ? raw.id : randomId(),
  };
  const errors = emptyErrorTree();
  const own: Plain = {};
  for (const [key, value] of Object.entries(raw)) {
    const relation = info.children.find((c) => c.collection === key);
    if (!relation) {
      setOwn(own, key, value);
      continue;
    }
    if (value === null || value === undefined) continue;
    const items = asArray(value);
    if (!items) {
      errors[key] = MSG.ARRAY;
      continue;
    }
    const group: EntityNode[] = [];
    node.childGroups.set(relation.collection, group);
    const childErrors = emptyErrorTree();
    items.forEach((item, i) => {
      const child = validateEntity(relation.collection, item, i + 1, node, relation.foreignKey);
      if (child.node) {
        group.push(child.node);
        node.children.push(child.node);
      }
      if (child.error !== null) childErrors[String(i + 1)] = child.error;
    });
    if (Object.keys(childErrors).length > 0) errors[key] = childErrors;
  }

  // A nested child gets its parent's key; writing it yourself is refused, as in Kong.
  if (parent && parentKey) {
    if (own[parentKey] !== undefined && own[parentKey] !== null) errors[parentKey] = MSG.eq('null');
    own[parentKey] = { id: parent.validationId };
  }

  const result = processAndValidate(declarativeSchema(info), own);
  if (result.errors) {
    for (const [key, err] of Object.entries(result.errors)) if (errors[key] === undefined) errors[key] = err;
  }
  if (result.value) {
    const record = { ...result.value };
    delete record._comment;
    delete record._ignore;
    if (parent && parentKey) delete record[parentKey];
    node.record = record;
  }
  return { node, error: Object.keys(errors).length > 0 ? errors : null };
}

/** Validates the document; `input` must be a plain object. */
export function validateDocument(input: Plain): ValidatedDocument {
  const errors = emptyErrorTree();
  const top = new Map<EntityCollection, EntityNode[]>();
  for (const [key, value] of Object.entries(input)) {
    const field = TOP_LEVEL_FIELDS.get(key);
    if (field) {
      const err = validateField(field, value);
      if (err !== null) errors[key] = err;
      continue;
    }
    if (!isCollection(key)) {
      errors[key] = MSG.UNKNOWN;
      continue;
    }
    if (value === null || value === undefined) continue;
    const items = asArray(value);
    if (!items) {
      errors[key] = MSG.ARRAY;
      continue;
    }
    const nodes: EntityNode[] = [];
    top.set(key, nodes);
    const collectionErrors = emptyErrorTree();
    items.forEach((item, i) => {
      const result = validateEntity(key, item, i + 1, null, null);
      if (result.node) nodes.push(result.node);
      if (result.error !== null) collectionErrors[String(i + 1)] = result.error;
    });
    if (Object.keys(collectionErrors).length > 0) errors[key] = collectionErrors;
  }
  if (input._format_version === undefined || input._format_version === null) errors._format_version = MSG.REQUIRED;
  return { errors: Object.keys(errors).length > 0 ? errors : null, top };
}

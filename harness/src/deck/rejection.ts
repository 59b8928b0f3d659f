// Turns the gateway's 400 answer to POST /config into a SyncError that lists Kong's
// `flattened_errors` as `entity_type entity_name: field: message` problems, in file order, each at
// the file:line:column of its field (else of its entity) when it comes from the file. An unknown
// field gets a did-you-mean from the gateway's schema of that entity (GET /schemas/…).

import { closestName } from '../errors/similar.js';
import { consoleName, KNOWN_COLLECTIONS, type EntityNode, type RawEntity } from './entity-model.js';
import { SyncError, type SourcePosition } from './errors.js';
import { NESTED_CHILDREN } from './nesting.js';
import type { FileNode, SyncPlan } from './plan-sync.js';

interface FlattenedError {
  entity_type?: unknown;
  entity_name?: unknown;
  entity_id?: unknown;
  entity?: unknown;
  errors?: unknown;
}

interface Problem {
  position?: SourcePosition;
  text: string;
  /** An unknown field: usually a typo, and why other checks of the entity fail (a required field "missing"). */
  rootCause?: boolean;
}

export interface RejectionContext {
  source: string;
  positionOf(node: unknown): SourcePosition | undefined;
  /** Where a top-level key is written, for errors about the declaration itself. */
  keyPosition?(key: string): SourcePosition | undefined;
  /** Where a field (`config.key_names`) of an entity is written. */
  fieldPosition?(node: unknown, field: string): SourcePosition | undefined;
  /** The gateway's schemas that unknownFieldSchemas asked for, by path (`services`, `plugins/key-auth`). */
  schemas?: ReadonlyMap<string, unknown>;
  plan: Pick<SyncPlan, 'declaration' | 'fileNodes' | 'keptNodes'>;
}

const UNKNOWN_FIELD = 'unknown field';

/** The schema (GET /schemas/<path>) that knows the fields around `field` of an entity. */
function schemaPathFor(collection: string, entity: RawEntity | undefined, field: string): string {
  return collection === 'plugins' && field.startsWith('config.') && typeof entity?.name === 'string' ? `plugins/${entity.name}` : collection;
}

/** The schema paths whose field names would explain the unknown fields of this answer. */
export function unknownFieldSchemas(body: unknown): string[] {
  const answer = isMapping(body) ? body : {};
  const paths = new Set<string>();
  for (const error of Array.isArray(answer.flattened_errors) ? (answer.flattened_errors as FlattenedError[]) : []) {
    const collection = collectionOf(error.entity_type);
    if (!collection || !Array.isArray(error.errors)) continue;
    for (const detail of error.errors as Array<Record<string, unknown>>) {
      if (detail.message === UNKNOWN_FIELD && typeof detail.field === 'string') {
        paths.add(schemaPathFor(collection, isMapping(error.entity) ? error.entity : undefined, detail.field));
      }
    }
  }
  return [...paths];
}

/** The field names a schema (`{fields: [{name: {…, fields?}}]}`) knows beside `field` (`config.nmae` → config's). */
function knownFieldsBeside(schema: unknown, field: string): string[] {
  let fields: unknown = isMapping(schema) ? schema.fields : undefined;
  for (const segment of field.split('.').slice(0, -1)) {
    const entry = Array.isArray(fields) ? fields.find((item) => isMapping(item) && segment in item) : undefined;
    const definition = isMapping(entry) ? entry[segment] : undefined;
    fields = isMapping(definition) ? definition.fields : undefined;
  }
  return Array.isArray(fields) ? fields.flatMap((item) => (isMapping(item) ? Object.keys(item) : [])) : [];
}

function didYouMean(context: RejectionContext, collection: string, entity: RawEntity, field: string): string {
  const schema = context.schemas?.get(schemaPathFor(collection, entity, field));
  const typed = field.split('.').pop()!;
  const guess = schema === undefined ? null : closestName(typed, knownFieldsBeside(schema, field));
  return guess ? ` (did you mean "${guess}"?)` : '';
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function collectionOf(entityType: unknown): string | undefined {
  return Object.entries(KNOWN_COLLECTIONS).find(([, info]) => info.entityType === entityType)?.[0];
}

/** An entity as Kong quotes it back: without nested children and foreign keys. */
function comparable(collection: string, entity: RawEntity): string {
  const skip = new Set([...(NESTED_CHILDREN[collection] ?? []).map((child) => child.key), ...(KNOWN_COLLECTIONS[collection]?.foreignKeys ?? [])]);
  const kept = Object.entries(entity)
    .filter(([key]) => !skip.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(kept);
}

function findNode(error: FlattenedError, context: RejectionContext): EntityNode | undefined {
  const collection = collectionOf(error.entity_type);
  if (!collection) return undefined;
  const candidates: EntityNode[] = [...context.plan.fileNodes, ...context.plan.keptNodes].filter((node) => node.collection === collection);
  if (isMapping(error.entity)) {
    const quoted = comparable(collection, error.entity);
    const exact = candidates.find((node) => comparable(collection, node.entity) === quoted);
    if (exact) return exact;
  }
  if (typeof error.entity_id === 'string') {
    const byId = candidates.find((node) => node.entity.id === error.entity_id);
    if (byId) return byId;
  }
  const quotedEntity = isMapping(error.entity) ? error.entity : {};
  const name = typeof error.entity_name === 'string' ? error.entity_name : quotedEntity.name;
  return candidates.find((node) => {
    const e = node.entity;
    if (collection === 'plugins') return e.name === quotedEntity.name && (e.instance_name ?? null) === (quotedEntity.instance_name ?? null);
    if (collection === 'consumers') return e.username !== undefined && e.username === quotedEntity.username;
    if (collection === 'keyauth_credentials') return e.key !== undefined && e.key === quotedEntity.key;
    return name !== undefined && e.name === name;
  });
}

function describeEntity(error: FlattenedError, node: EntityNode | undefined): string {
  const type = typeof error.entity_type === 'string' ? error.entity_type : 'entity';
  if (node) return `${type} ${consoleName(node)}`;
  // Never fall back to a credential's key: it is a secret.
  const name = typeof error.entity_name === 'string' ? error.entity_name : typeof error.entity_id === 'string' ? error.entity_id : '(unnamed)';
  return `${type} ${name}`;
}

function flattenedProblems(errors: FlattenedError[], context: RejectionContext): Problem[] {
  const problems: Problem[] = [];
  for (const error of errors) {
    const node = findNode(error, context);
    const fileNode = node && 'walked' in node ? (node as FileNode) : undefined;
    const position = fileNode ? context.positionOf(fileNode.entity) : undefined;
    const where = node && !fileNode ? ' (a running entity outside the select_tags scope, sent back unchanged)' : '';
    const label = describeEntity(error, node);
    const details = Array.isArray(error.errors) ? (error.errors as Array<Record<string, unknown>>) : [];
    if (details.length === 0) problems.push({ position, text: `${label}: invalid${where}` });
    for (const detail of details) {
      const message = String(detail.message ?? 'invalid');
      if (detail.type !== 'field' || typeof detail.field !== 'string') {
        problems.push({ position, text: `${label}: ${message}${where}` });
        continue;
      }
      const hint = fileNode && message === UNKNOWN_FIELD ? didYouMean(context, fileNode.collection, fileNode.entity, detail.field) : '';
      const at = (fileNode && context.fieldPosition?.(fileNode.entity, detail.field)) || position;
      problems.push({ position: at, text: `${label}: ${detail.field}: ${message}${hint}${where}`, rootCause: message === UNKNOWN_FIELD });
    }
  }
  return problems;
}

/** `fields` mirrors the declaration: walk both together to find where each message belongs. */
function fieldProblems(fields: unknown, context: RejectionContext): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, doc: unknown, path: string, position: SourcePosition | undefined) => {
    const here = context.positionOf(doc) ?? position;
    if (typeof value === 'string') {
      problems.push({ position: here, text: `${path || 'declaration'}: ${value}`, rootCause: value === UNKNOWN_FIELD });
      return;
    }
    if (Array.isArray(value)) {
      if (value.every((item) => typeof item === 'string')) {
        for (const item of value) problems.push({ position: here, text: `${path || 'declaration'}: ${item}`, rootCause: item === UNKNOWN_FIELD });
        return;
      }
      value.forEach((item, index) => {
        if (item !== null && item !== undefined) visit(item, Array.isArray(doc) ? doc[index] : undefined, `${path}[${index}]`, here);
      });
      return;
    }
    if (isMapping(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const innerPath = key === '@entity' ? path : path ? `${path}.${key}` : key;
        const innerDoc = key === '@entity' ? doc : isMapping(doc) ? doc[key] : undefined;
        // The declaration's own keys: where the key is written.
        const keyHere = path === '' ? (context.keyPosition?.(key) ?? here) : here;
        visit(inner, innerDoc, innerPath, keyHere);
      }
    }
  };
  visit(fields, context.plan.declaration, '', undefined);
  return problems;
}

export function rejectionError(status: number, body: unknown, context: RejectionContext): SyncError {
  const { source } = context;
  const answer = isMapping(body) ? body : {};
  const problems: Problem[] = [];
  if (Array.isArray(answer.flattened_errors)) problems.push(...flattenedProblems(answer.flattened_errors as FlattenedError[], context));
  if (answer.fields !== undefined && (isMapping(answer.fields) ? Object.keys(answer.fields).length > 0 : true)) {
    problems.push(...fieldProblems(answer.fields, context));
  }
  if (problems.length === 0) {
    const message = typeof answer.message === 'string' ? answer.message : typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body);
    problems.push({ text: message });
  }
  // Root causes first, then in file order; problems without a position (the declaration itself, kept entities) last.
  const at = (problem: Problem) => (problem.position ? problem.position.line * 10_000 + (problem.position.column ?? 0) : Number.MAX_SAFE_INTEGER);
  problems.sort((a, b) => Number(b.rootCause ?? false) - Number(a.rootCause ?? false) || at(a) - at(b));
  const name = typeof answer.name === 'string' ? `: ${answer.name}` : '';
  const [first, ...rest] = problems;
  return new SyncError(source, first.text, first.position, {
    code: 'DECLARATION_REJECTED',
    also: rest.map((problem) => ({ problem: problem.text, location: problem.position && { ...problem.position, file: problem.position.file || source } })),
    notes: [`the gateway rejected the configuration (HTTP ${status}${name}); its running configuration is unchanged`],
  });
}

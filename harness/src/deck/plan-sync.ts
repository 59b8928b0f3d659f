// decK's sync semantics on top of one `POST /config`: the file replaces the entities in scope
// (those carrying every select tag; all of them without select tags), everything outside the scope
// is sent back unchanged, file entities that match a running one keep its id (as decK updates in
// place), and references may only name entities of the file (or of `default_lookup_tags`).

import type { DeclarationMeta } from './declaration-meta.js';
import {
  collectionInfo,
  collectionRank,
  consoleName,
  FOREIGN_COLLECTION,
  hasAllTags,
  identity,
  type EntityNode,
  type ForeignField,
  type RawEntity,
} from './entity-model.js';
import { DeclarationError, type SourcePosition } from './errors.js';
import { foreignId, type GatewayState } from './gateway-state.js';
import type { WalkedEntity } from './nesting.js';
import type { Declaration } from './parse-declaration.js';
import type { PreparedDeclaration } from './prepare-declaration.js';

export interface FileNode extends EntityNode {
  readonly walked: WalkedEntity;
}

export interface SyncPlan {
  /** The body of `POST /config`. */
  readonly declaration: Declaration;
  readonly fileNodes: FileNode[];
  /** Running entities sent back as they are (outside the scope, or named by lookup tags). */
  readonly keptNodes: EntityNode[];
}

export interface PlanInput {
  source: string;
  positionOf(node: unknown): SourcePosition | undefined;
  prepared: PreparedDeclaration;
  meta: Pick<DeclarationMeta, 'selectTags' | 'lookupTags'>;
  current: GatewayState;
  /** `deck gateway apply`: running entities in scope that the file does not name are kept, not deleted. */
  partial?: boolean;
}

interface Reference {
  id?: string;
  name?: string;
  text: string;
}

function parseReference(value: unknown): Reference | null {
  // Kong and decK accept the endpoint key (name, username) or the id as a plain string.
  if (typeof value === 'string' && value !== '') return { id: value, name: value, text: value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (typeof object.id === 'string') return { id: object.id, text: object.id };
    const name = typeof object.name === 'string' ? object.name : typeof object.username === 'string' ? object.username : undefined;
    if (name !== undefined) return { name, text: name };
  }
  return null;
}

function matches(node: EntityNode, reference: Reference): boolean {
  const e = node.entity;
  if (reference.id !== undefined && e.id === reference.id) return true;
  if (reference.name === undefined) return false;
  return node.collection === 'consumers' ? e.username === reference.name : e.name === reference.name;
}

/** A file entity is named in the outgoing declaration by its endpoint key, else by its id. */
function referenceTo(node: EntityNode): string | undefined {
  const e = node.entity;
  const key = node.collection === 'consumers' ? e.username : e.name;
  if (typeof key === 'string' && key !== '') return key;
  return typeof e.id === 'string' ? e.id : undefined;
}

function tagList(tags: string[]): string {
  return `[${tags.join(', ')}]`;
}

function unresolvedMessage(node: FileNode, field: ForeignField, reference: Reference, lookupTags: string[] | undefined): string {
  const e = node.entity;
  const lookup = lookupTags
    ? ` or among the running ${FOREIGN_COLLECTION[field]} tagged ${tagList(lookupTags)} (_info.default_lookup_tags)`
    : `; to name a running ${field} that this file does not declare, list its tags in _info.default_lookup_tags.${FOREIGN_COLLECTION[field]}`;
  // decK's own wording first, then where it looked.
  const deck =
    node.collection === 'routes'
      ? `building state: retrieve intermediate services (${reference.text}): entity not found`
      : `building state: ${field} ${reference.text} for ${collectionInfo(node.collection).kind} ${node.collection === 'plugins' ? String(e.name) : consoleName(node)}: entity not found`;
  return `${deck}\n(${field} '${reference.text}' is neither declared in this file${lookup})`;
}

export function planSync(input: PlanInput): SyncPlan {
  const { source, positionOf, prepared, meta, current } = input;
  const selectTags = meta.selectTags;

  // 1. File nodes, parents linked by nesting.
  const fileNodes: FileNode[] = [];
  const byWalked = new Map<WalkedEntity, FileNode>();
  for (const walked of prepared.entities) {
    const node: FileNode = { collection: walked.collection, entity: walked.entity, refs: {}, walked };
    if (walked.parent && walked.parentField) node.refs[walked.parentField] = byWalked.get(walked.parent);
    byWalked.set(walked, node);
    fileNodes.push(node);
  }

  // 2. Explicit references (top-level routes and plugins): the file first, then lookup-tagged running entities.
  const referencedLookups = new Set<EntityNode>();
  for (const node of fileNodes) {
    for (const field of collectionInfo(node.collection).foreignKeys) {
      const value = node.entity[field];
      if (value === undefined || value === null || field === node.walked.parentField) continue;
      const reference = parseReference(value);
      if (!reference) continue; // Malformed: the gateway names the problem.
      const target = FOREIGN_COLLECTION[field];
      const inFile = fileNodes.find((candidate) => candidate.collection === target && matches(candidate, reference));
      if (inFile) {
        node.refs[field] = inFile;
        node.entity[field] = referenceTo(inFile) ?? value;
        continue;
      }
      const lookupTags = meta.lookupTags[target as keyof DeclarationMeta['lookupTags']];
      const looked = lookupTags
        ? current.nodes.find((candidate) => candidate.collection === target && hasAllTags(candidate.entity, lookupTags) && matches(candidate, reference))
        : undefined;
      if (looked && typeof looked.entity.id === 'string') {
        node.refs[field] = looked;
        node.entity[field] = looked.entity.id;
        referencedLookups.add(looked);
        continue;
      }
      throw new DeclarationError(source, unresolvedMessage(node, field, reference, lookupTags), positionOf(node.entity));
    }
  }

  // 3. Scope: what this sync may create, update and delete.
  const inScope = (node: EntityNode) => hasAllTags(node.entity, selectTags) && !referencedLookups.has(node);
  const scopeByIdentity = new Map<string, EntityNode>();
  const outsideByIdentity = new Map<string, EntityNode>();
  for (const node of current.nodes) {
    const key = identity(node);
    if (key) (inScope(node) ? scopeByIdentity : outsideByIdentity).set(key, node);
  }

  // 4. File entities that match a running one keep its id; one that clashes with an entity outside the scope cannot be created.
  for (const node of fileNodes) {
    const key = identity(node);
    if (!key) continue;
    const clash = outsideByIdentity.get(key);
    if (clash) {
      const kind = collectionInfo(node.collection).kind;
      throw new DeclarationError(
        source,
        `${kind} ${consoleName(node)} already runs outside the select_tags scope ${tagList(selectTags)} (it lacks some of those tags), ` +
          'so decK could not create it again (HTTP 409 UNIQUE violation). Give the running one the select tags, rename it here, or reset the gateway first.',
        positionOf(node.entity),
      );
    }
    if (node.entity.id === undefined) {
      const match = scopeByIdentity.get(key);
      if (match && typeof match.entity.id === 'string') node.entity.id = match.entity.id;
    }
  }

  // 5. Entities outside the scope are kept (with `partial`, also those in scope that the file does not name),
  // except those whose parent this sync deletes (Kong cascades plugins and credentials; it refuses to orphan a route).
  const named = new Set(fileNodes.map((node) => identity(node)).filter((key) => key !== null));
  const keptInScope = (node: EntityNode) => input.partial === true && !named.has(identity(node) ?? '');
  const kept = current.nodes.filter(
    (node) => (selectTags.length > 0 && !inScope(node)) || referencedLookups.has(node) || (inScope(node) && keptInScope(node)),
  );
  kept.sort((a, b) => collectionRank(a.collection) - collectionRank(b.collection));
  const liveIds = new Set<string>();
  const addLive = (node: EntityNode) => {
    if (typeof node.entity.id === 'string') liveIds.add(`${node.collection}|${node.entity.id}`);
  };
  fileNodes.forEach(addLive);
  kept.forEach(addLive);
  const keptNodes: EntityNode[] = [];
  for (const node of kept) {
    const orphanedBy = collectionInfo(node.collection).foreignKeys.find((field) => {
      const id = foreignId(node.entity[field]);
      return id !== null && !liveIds.has(`${FOREIGN_COLLECTION[field]}|${id}`);
    });
    if (!orphanedBy) {
      keptNodes.push(node);
      continue;
    }
    if (node.collection === 'routes') {
      const service = node.refs.service ? consoleName(node.refs.service) : String(node.entity.service);
      throw new DeclarationError(
        source,
        `route ${consoleName(node)} runs outside the select_tags scope ${tagList(selectTags)} but uses service ${service}, which this sync would delete; ` +
          "Kong refuses to delete a service that routes still use (an existing 'routes' entity references this 'services' entity). " +
          'Keep the service in the file, or give the route the select tags.',
      );
    }
    liveIds.delete(`${node.collection}|${String(node.entity.id)}`);
  }

  // 6. The declaration: the file, plus what is kept, as Kong exported it minus timestamps and nulls.
  const declaration: Declaration = { ...prepared.document };
  const keptByCollection = new Map<string, RawEntity[]>();
  for (const node of keptNodes) {
    const copy: RawEntity = {};
    for (const [field, value] of Object.entries(node.entity)) {
      if (value !== null && field !== 'created_at' && field !== 'updated_at') copy[field] = value;
    }
    const list = keptByCollection.get(node.collection) ?? [];
    list.push(copy);
    keptByCollection.set(node.collection, list);
  }
  for (const [collection, list] of keptByCollection) {
    const own = declaration[collection];
    declaration[collection] = [...(Array.isArray(own) ? own : []), ...list];
  }
  if (keptByCollection.has('basicauth_credentials')) {
    // Kept basic-auth passwords are already hashed; the file's are not. One `_transform` covers both.
    if (fileNodes.some((node) => node.collection === 'basicauth_credentials')) {
      throw new DeclarationError(
        source,
        'basic-auth credentials run outside the select_tags scope while this file declares others: their passwords are stored hashed and the file\'s are not, ' +
          'and one POST /config cannot carry both. Give them all the same select tags.',
      );
    }
    declaration._transform = false;
  }

  return { declaration, fileNodes, keptNodes };
}

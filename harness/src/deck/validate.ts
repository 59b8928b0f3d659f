// `deck file validate` (offline: YAML, decK's keys, entity shapes, references between entities)
// and `deck gateway validate` (the same, then each entity through the gateway's
// POST /schemas/<entity>/validate, as decK does). Nothing is applied.

import { randomUUID } from 'node:crypto';
import type { ErrorProblem } from '../errors/labkit-error.js';
import { AdminClient } from './admin-client.js';
import { readDeclarationMeta } from './declaration-meta.js';
import { collectionInfo, consoleName, type EntityNode } from './entity-model.js';
import { DeclarationError, SyncError } from './errors.js';
import { emptyGatewayState } from './gateway-state.js';
import { NESTED_CHILDREN } from './nesting.js';
import type { ParsedDeclaration } from './parse-declaration.js';
import { planSync, type FileNode } from './plan-sync.js';
import { prepareDeclaration } from './prepare-declaration.js';

function checkOffline(parsed: ParsedDeclaration, selectTags: string[]): FileNode[] {
  const meta = readDeclarationMeta(parsed, selectTags);
  if (Object.keys(meta.lookupTags).length > 0) {
    throw new DeclarationError(parsed.source, '[default_lookup_tags] not supported for offline validation, use `deck gateway validate` command instead');
  }
  const prepared = prepareDeclaration(parsed, meta);
  return planSync({ source: parsed.source, positionOf: parsed.positionOf, prepared, meta, current: emptyGatewayState() }).fileNodes;
}

export function validateFileOffline(parsed: ParsedDeclaration): void {
  checkOffline(parsed, []);
}

/**
 * The entity as decK posts it: its own fields, and references as `{id}` (the plan checked they
 * resolve; an entity the file creates gets an id here, as decK gives every new entity one).
 */
function validationBody(node: FileNode, idOf: (target: EntityNode) => string): Record<string, unknown> {
  const body: Record<string, unknown> = { ...node.entity };
  for (const child of NESTED_CHILDREN[node.collection] ?? []) delete body[child.key];
  for (const field of collectionInfo(node.collection).foreignKeys) {
    delete body[field];
    const target = node.refs[field];
    if (target) body[field] = { id: idOf(target) };
  }
  return body;
}

export async function validateFileOnline(parsed: ParsedDeclaration, options: { adminUrl: string; headers?: Record<string, string> }): Promise<void> {
  const nodes = checkOffline(parsed, []);
  const admin = new AdminClient(options.adminUrl, parsed.source, options.headers);
  const problems: ErrorProblem[] = [];
  const ids = new Map<EntityNode, string>();
  const idOf = (target: EntityNode) => {
    if (typeof target.entity.id === 'string') return target.entity.id;
    if (!ids.has(target)) ids.set(target, randomUUID());
    return ids.get(target)!;
  };
  for (const node of nodes) {
    const message = await admin.validateEntity(node.collection, validationBody(node, idOf));
    if (message === null) continue;
    // decK: validate entity '<collection> (<name or id>)': <error>
    problems.push({ problem: `validate entity '${node.collection} (${consoleName(node)})': ${message}`, location: parsed.positionOf(node.entity) });
  }
  if (problems.length > 0) {
    const [first, ...also] = problems;
    throw new SyncError(parsed.source, first.problem, first.location, { code: 'DECLARATION_REJECTED', also });
  }
}

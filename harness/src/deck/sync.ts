// `deck gateway sync | apply | diff | reset` for a DB-less gateway: read the file as decK does, merge
// it with what runs outside the select tags, apply everything with one POST /config (diff: predict
// it instead), then report what changed. The harness's sync (harness/src/sync) is this code.

import { readFile } from 'node:fs/promises';
import { AdminClient } from './admin-client.js';
import { readDeclarationMeta } from './declaration-meta.js';
import { diffStates, summarize } from './diff-states.js';
import { hasAllTags, type EntityNode } from './entity-model.js';
import { DeclarationError } from './errors.js';
import type { GatewayState } from './gateway-state.js';
import { parseDeclaration, type ParsedDeclaration } from './parse-declaration.js';
import { planSync, type SyncPlan } from './plan-sync.js';
import { predictedNode, SchemaDefaults } from './predict.js';
import { prepareDeclaration } from './prepare-declaration.js';
import { rejectionError, unknownFieldSchemas } from './rejection.js';
import { ReplicaSet } from './replicas.js';
import type { DiffReport, SyncOptions, SyncReport } from './types.js';

function inScope(nodes: EntityNode[], selectTags: string[]): EntityNode[] {
  return nodes.filter((node) => hasAllTags(node.entity, selectTags));
}

async function finish(admin: AdminClient, replicas: ReplicaSet, resetCounters: boolean, before: EntityNode[], afterState: () => Promise<EntityNode[]>): Promise<SyncReport> {
  // Independent requests go together: a reset is as quick as its slowest answer, not their sum.
  // A lab that shows Miss → Hit must not start on an entry stored by an earlier run: the proxy cache goes too.
  const [counters] = await Promise.all([
    resetCounters ? admin.clearCounters() : ('kept' as const),
    resetCounters ? admin.purgeProxyCache() : undefined,
  ]);
  const [after, configurationHash] = await Promise.all([
    afterState(),
    admin.configurationHash(),
    counters === 'cleared' ? replicas.clearCounters() : undefined,
    resetCounters ? replicas.purgeProxyCache() : undefined,
  ]);
  const changes = diffStates(before, after);
  await replicas.checkHash(configurationHash);
  return { changes, summary: summarize(changes), counters, configurationHash };
}

function replicasOf(options: Pick<SyncOptions, 'replicaAdminUrls' | 'headers'>, source: string): ReplicaSet {
  return new ReplicaSet(options.replicaAdminUrls ?? [], source, options.headers);
}

interface Planned {
  admin: AdminClient;
  current: GatewayState;
  plan: SyncPlan;
  selectTags: string[];
}

async function planFor(parsed: ParsedDeclaration, options: SyncOptions): Promise<Planned> {
  const meta = readDeclarationMeta(parsed, options.selectTags ?? []);
  const prepared = prepareDeclaration(parsed, meta);
  const admin = new AdminClient(options.adminUrl, parsed.source, options.headers);
  const current = await admin.readState();
  const plan = planSync({ source: parsed.source, positionOf: parsed.positionOf, prepared, meta, current, partial: options.partial });
  return { admin, current, plan, selectTags: meta.selectTags };
}

/** The schemas that name the fields an unknown one may be a typo of; a schema that cannot be read only costs the hint. */
async function schemasFor(admin: AdminClient, paths: string[]): Promise<Map<string, unknown>> {
  const schemas = new Map<string, unknown>();
  for (const path of paths) {
    const schema = await admin.schema(path).catch(() => null);
    if (schema !== null) schemas.set(path, schema);
  }
  return schemas;
}

/** sync (apply with `partial`): one POST /config, then what changed between the state before and after. */
export async function syncDeclaration(parsed: ParsedDeclaration, options: SyncOptions): Promise<SyncReport> {
  const { admin, current, plan, selectTags } = await planFor(parsed, options);
  const result = await admin.postConfig(plan.declaration);
  if (!result.ok) {
    const schemas = await schemasFor(admin, unknownFieldSchemas(result.body));
    throw rejectionError(result.status, result.body, { source: parsed.source, positionOf: parsed.positionOf, keyPosition: parsed.keyPosition, fieldPosition: parsed.fieldPosition, schemas, plan });
  }
  const replicas = replicasOf(options, parsed.source);
  await replicas.postConfig(plan.declaration);
  return finish(admin, replicas, options.resetCounters ?? true, inScope(current.nodes, selectTags), async () => inScope((await admin.readState()).nodes, selectTags));
}

/** diff: the same plan, nothing sent; the state after is predicted from the file and the gateway's schema defaults. */
export async function diffDeclaration(parsed: ParsedDeclaration, options: SyncOptions): Promise<DiffReport> {
  const { admin, current, plan, selectTags } = await planFor(parsed, options);
  const before = inScope(current.nodes, selectTags);
  const after = inScope([...plan.fileNodes.map(predictedNode), ...plan.keptNodes], selectTags);
  const defaults = await SchemaDefaults.load(admin, [...before, ...after]);
  const changes = diffStates(before, after, defaults);
  return { changes, summary: summarize(changes) };
}

export async function syncDeclarationText(text: string, sourceName: string, options: SyncOptions): Promise<SyncReport> {
  return syncDeclaration(parseDeclaration(text, sourceName), options);
}

export async function readDeclarationFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new DeclarationError(path, `cannot read the declaration: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

export async function syncDeclarationFile(path: string, options: SyncOptions): Promise<SyncReport> {
  return syncDeclarationText(await readDeclarationFile(path), path, options);
}

const EMPTY_DECLARATION = '_format_version: "3.0"\n';

/**
 * `deck gateway reset`: with select tags, only the entities carrying all of them are deleted (a sync
 * of an empty file in that scope); without, the configuration is emptied (and counters cleared).
 */
export async function resetGateway(options: Pick<SyncOptions, 'adminUrl' | 'resetCounters' | 'selectTags' | 'headers' | 'replicaAdminUrls'>): Promise<SyncReport> {
  if (options.selectTags && options.selectTags.length > 0) {
    return syncDeclaration(parseDeclaration(EMPTY_DECLARATION, 'reset'), options);
  }
  const source = 'reset';
  const admin = new AdminClient(options.adminUrl, source, options.headers);
  const current = await admin.readState();
  const result = await admin.postConfig({ _format_version: '3.0' });
  if (!result.ok) {
    throw rejectionError(result.status, result.body, {
      source,
      positionOf: () => undefined,
      plan: { declaration: { _format_version: '3.0' }, fileNodes: [], keptNodes: [] },
    });
  }
  const replicas = replicasOf(options, source);
  await replicas.postConfig({ _format_version: '3.0' });
  return finish(admin, replicas, options.resetCounters ?? true, current.nodes, async () => (await admin.readState()).nodes);
}

// `deck gateway sync` for a DB-less gateway: read the file as decK does, merge it with what runs
// outside the select tags, apply everything with one POST /config, then report what changed.

import { readFile } from 'node:fs/promises';
import { AdminClient } from './admin-client.js';
import { readDeclarationMeta } from './declaration-meta.js';
import { diffStates, summarize } from './diff-states.js';
import { hasAllTags, type EntityNode } from './entity-model.js';
import { SyncError } from './errors.js';
import type { GatewayState } from './gateway-state.js';
import { parseDeclaration } from './parse-declaration.js';
import { planSync } from './plan-sync.js';
import { prepareDeclaration } from './prepare-declaration.js';
import { rejectionError } from './rejection.js';
import type { SyncOptions, SyncReport } from './types.js';

function inScope(state: GatewayState, selectTags: string[]): EntityNode[] {
  return state.nodes.filter((node) => hasAllTags(node.entity, selectTags));
}

async function finish(admin: AdminClient, resetCounters: boolean, before: EntityNode[], afterState: () => Promise<EntityNode[]>): Promise<SyncReport> {
  const counters = resetCounters ? await admin.clearCounters() : 'kept';
  const changes = diffStates(before, await afterState());
  return { changes, summary: summarize(changes), counters, configurationHash: await admin.configurationHash() };
}

export async function syncDeclarationText(text: string, sourceName: string, options: SyncOptions): Promise<SyncReport> {
  const parsed = parseDeclaration(text, sourceName);
  const meta = readDeclarationMeta(parsed, options.selectTags ?? []);
  const prepared = prepareDeclaration(parsed, meta);
  const admin = new AdminClient(options.adminUrl, sourceName);

  const current = await admin.readState();
  const plan = planSync({ source: sourceName, positionOf: parsed.positionOf, prepared, meta, current });
  const result = await admin.postConfig(plan.declaration);
  if (!result.ok) {
    throw rejectionError(result.status, result.body, { source: sourceName, positionOf: parsed.positionOf, keyPosition: parsed.keyPosition, plan });
  }
  return finish(admin, options.resetCounters ?? true, inScope(current, meta.selectTags), async () => inScope(await admin.readState(), meta.selectTags));
}

export async function syncDeclarationFile(path: string, options: SyncOptions): Promise<SyncReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new SyncError(path, `cannot read the declaration: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return syncDeclarationText(text, path, options);
}

/** Empty configuration (and counters cleared): what `deck gateway reset` + a counter reset would leave. */
export async function resetGateway(options: { adminUrl: string; resetCounters?: boolean }): Promise<SyncReport> {
  const source = 'reset';
  const admin = new AdminClient(options.adminUrl, source);
  const current = await admin.readState();
  const result = await admin.postConfig({ _format_version: '3.0' });
  if (!result.ok) {
    throw rejectionError(result.status, result.body, {
      source,
      positionOf: () => undefined,
      plan: { declaration: { _format_version: '3.0' }, fileNodes: [], keptNodes: [] },
    });
  }
  return finish(admin, options.resetCounters ?? true, current.nodes, async () => (await admin.readState()).nodes);
}

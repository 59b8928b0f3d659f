// A lab session: the lab's declaration synced to the environment, then its checks walked through. The one
// place sync and runner meet, so that neither needs the other.

import { declarationUsesRedis } from '../redis/declaration-needs.js';
import { runLab, type LabTarget, type RunOptions } from '../runner/run-lab.js';
import type { LabResult } from '../runner/results.js';
import type { Lab } from '../spec/types.js';
import { readDeclarationFile, syncDeclarationText, type SyncReport } from '../sync/index.js';

/** What a sync needs of the environment: node 1's Admin API, the other nodes', and its Redis if any. */
export interface SyncTarget {
  adminUrl: string;
  nodes?: readonly { adminUrl: string }[];
  redis?: { ensure(): Promise<void> } | null;
}

/**
 * Syncs a declaration to every node (decK-style, counters cleared where the gateway allows it); a
 * declaration with `policy: redis` first gets the environment's Redis started.
 */
export async function syncToEnvironment(text: string, source: string, target: SyncTarget): Promise<SyncReport> {
  if (declarationUsesRedis(text)) await target.redis?.ensure();
  const replicaAdminUrls = (target.nodes ?? []).map((node) => node.adminUrl).filter((url) => url !== target.adminUrl);
  return syncDeclarationText(text, source, { adminUrl: target.adminUrl, replicaAdminUrls });
}

/** Syncs the lab's declaration: see syncToEnvironment. */
export async function syncLab(lab: Lab, target: SyncTarget): Promise<SyncReport> {
  return syncToEnvironment(await readDeclarationFile(lab.declarationPath), lab.declarationPath, target);
}

export interface SyncedLabRun {
  sync: SyncReport;
  result: LabResult;
}

/** What `npm run lab N` does after starting the environment: sync the lab's declaration, then walk through it. */
export async function syncAndRunLab(
  lab: Lab,
  target: LabTarget & SyncTarget,
  options: RunOptions & { onSync?: (report: SyncReport) => void } = {},
): Promise<SyncedLabRun> {
  const sync = await syncLab(lab, target);
  options.onSync?.(sync);
  const result = await runLab(lab, target, { ...options, counters: sync.counters });
  return { sync, result };
}

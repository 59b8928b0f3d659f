// The kit's deck pointed at the environment of `npm run up` (its Admin API is node 1's): a sync
// there reaches every node, and a declaration with `policy: redis` gets the environment's Redis
// started first, as the labs' sync does. Any other Admin API is just that one gateway, as for decK.

import { statePaths } from '../../classroom/paths.js';
import { ensureClassroomRedis } from '../../classroom/redis.js';
import { readEnvironmentRecord } from '../../classroom/state.js';
import { documentUsesRedis } from '../../redis/declaration-needs.js';
import { DECK_REPLICAS_ENV } from '../shell-env.js';

export interface ClassTarget {
  replicaAdminUrls: string[];
}

/** An environment the caller already holds (verify-docs runs the page's deck in-process against it). */
export interface HeldEnvironment {
  adminUrl: string;
  nodes?: readonly { adminUrl: string }[];
  redis?: { ensure(): Promise<void> } | null;
}

export async function classTarget(adminUrl: string, env: NodeJS.ProcessEnv, declaration?: unknown, held?: HeldEnvironment): Promise<ClassTarget> {
  if (held) {
    if (held.redis && declaration !== undefined && documentUsesRedis(declaration)) await held.redis.ensure();
    return { replicaAdminUrls: (held.nodes ?? []).map((node) => node.adminUrl).filter((url) => url !== held.adminUrl) };
  }
  const listed = env[DECK_REPLICAS_ENV]?.split(',').map((url) => url.trim()).filter(Boolean) ?? [];
  if (listed.length > 0) return { replicaAdminUrls: listed };
  const paths = statePaths(env);
  let record;
  try {
    record = readEnvironmentRecord(paths);
  } catch {
    return { replicaAdminUrls: [] };
  }
  if (!record || record.adminUrl !== adminUrl.replace(/\/+$/, '')) return { replicaAdminUrls: [] };
  if (record.redis && declaration !== undefined && documentUsesRedis(declaration)) await ensureClassroomRedis(paths);
  return { replicaAdminUrls: (record.nodes ?? []).slice(1).map((node) => node.adminUrl) };
}

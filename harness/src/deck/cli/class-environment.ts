// The kit's deck pointed at the environment of `npm run up` (its Admin API is node 1's): a sync
// there reaches every node, and a declaration with `policy: redis` gets the environment's Redis
// started first, as the labs' sync does. Any other Admin API is just that one gateway, as for decK.

import { statePaths } from '../../classroom/paths.js';
import { ensureClassroomRedis } from '../../classroom/redis.js';
import { readEnvironmentRecord } from '../../classroom/state.js';
import { documentUsesRedis } from '../../redis/declaration-needs.js';

export interface ClassTarget {
  replicaAdminUrls: string[];
}

export async function classTarget(adminUrl: string, env: NodeJS.ProcessEnv, declaration?: unknown): Promise<ClassTarget> {
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

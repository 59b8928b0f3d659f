// The environment of `npm run up` as the kit's deck looks it up (deck/cli/class-environment.ts): found
// by its Admin API in the state file, with its other nodes and its Redis.

import type { ClassEnvironmentLookup, RecordedClassEnvironment } from '../deck/cli/class-environment.js';
import { statePaths } from './paths.js';
import { ensureClassroomRedis } from './redis.js';
import { readEnvironmentRecord } from './state.js';

export const recordedClassEnvironment: ClassEnvironmentLookup = (adminUrl, env): RecordedClassEnvironment | null => {
  const paths = statePaths(env);
  let record;
  try {
    record = readEnvironmentRecord(paths);
  } catch {
    return null;
  }
  if (!record || record.adminUrl !== adminUrl.replace(/\/+$/, '')) return null;
  return {
    replicaAdminUrls: (record.nodes ?? []).slice(1).map((node) => node.adminUrl),
    ensureRedis: record.redis ? () => ensureClassroomRedis(paths) : null,
  };
};

// The kit's deck pointed at the environment of `npm run up` (its Admin API is node 1's): a sync
// there reaches every node, and a declaration with `policy: redis` gets the environment's Redis
// started first, as the labs' sync does. Any other Admin API is just that one gateway, as for decK.
// Where the class environment is recorded is the classroom's business: the deck's entry point
// (deck/main.ts) hands in the lookup, so that the deck needs nothing above it.

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

/** The recorded class environment as the deck needs it: the other nodes' Admin APIs, and its Redis if it has one. */
export interface RecordedClassEnvironment {
  replicaAdminUrls: string[];
  /** Starts the environment's Redis when it is down. */
  ensureRedis: (() => Promise<unknown>) | null;
}

/** The class environment whose Admin API is `adminUrl`, if one is recorded (and readable). */
export type ClassEnvironmentLookup = (adminUrl: string, env: NodeJS.ProcessEnv) => RecordedClassEnvironment | null;

export async function classTarget(
  adminUrl: string,
  env: NodeJS.ProcessEnv,
  declaration?: unknown,
  held?: HeldEnvironment,
  lookup?: ClassEnvironmentLookup,
): Promise<ClassTarget> {
  if (held) {
    if (held.redis && declaration !== undefined && documentUsesRedis(declaration)) await held.redis.ensure();
    return { replicaAdminUrls: (held.nodes ?? []).map((node) => node.adminUrl).filter((url) => url !== held.adminUrl) };
  }
  const listed = env[DECK_REPLICAS_ENV]?.split(',').map((url) => url.trim()).filter(Boolean) ?? [];
  if (listed.length > 0) return { replicaAdminUrls: listed };
  const recorded = lookup?.(adminUrl, env) ?? null;
  if (!recorded) return { replicaAdminUrls: [] };
  if (recorded.ensureRedis && declaration !== undefined && documentUsesRedis(declaration)) await recorded.ensureRedis();
  return { replicaAdminUrls: recorded.replicaAdminUrls };
}

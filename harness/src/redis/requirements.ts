// One rule for tests that need a real Redis: skip with a visible reason when redis-server is missing,
// unless LABKIT_REQUIRE_REDIS=1 says the run must have it (CI), in which case fail loudly.

import { REDIS_INSTALL_HINT, type RedisServerAvailability } from './redis-server.js';

export const REQUIRE_REDIS_ENV = 'LABKIT_REQUIRE_REDIS';

/** Thrown when LABKIT_REQUIRE_REDIS=1 and redis-server is missing. */
export class RequiredRedisMissing extends Error {
  override name = 'RequiredRedisMissing';
}

/**
 * `{ skip: false }` when redis-server is installed; `{ skip: true, reason }` when it is not; throws
 * RequiredRedisMissing instead of skipping when LABKIT_REQUIRE_REDIS=1. Put the reason in the
 * describe name so the skip is visible.
 */
export function redisRequirement(availability: RedisServerAvailability): { skip: boolean; reason: string } {
  if (availability.available) return { skip: false, reason: '' };
  if (process.env[REQUIRE_REDIS_ENV] === '1') {
    throw new RequiredRedisMissing(`${REQUIRE_REDIS_ENV}=1 requires redis-server, but ${availability.reason}. Install it, or unset ${REQUIRE_REDIS_ENV}.`);
  }
  return { skip: true, reason: `redis-server not installed: ${REDIS_INSTALL_HINT}` };
}

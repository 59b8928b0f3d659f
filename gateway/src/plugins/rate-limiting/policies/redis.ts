// The `redis` policy: counters shared by every gateway node that names the same Redis, under Kong's
// keys (`ratelimit:<route>:<service>:<identifier>:<period_date>:<period>`, expiring one window
// length after the first count, as Kong's EXPIRE does).
//
// Kong's script INCRs every window first and compares afterwards, so blocked requests are counted
// too. Ours reads every window, and counts the request in all of them only when none is exhausted,
// in one script (Redis runs one at a time): the same numbers as our local policy, and however many
// nodes ask at once, never more than the limit pass in a window.

import type { Plugin } from '../../../declarative/entities.js';
import { RedisScript, type RedisConnection, type RedisConnections, type RedisEndpoint } from '../../../redis/connections.js';
import type { RateLimitingConfig } from '../../types.js';
import { EMPTY_UUID } from '../counters.js';

const CHECK_AND_INCREMENT = new RedisScript(`
-- KEYS: one counter per configured window. ARGV: their limits, then their lengths in seconds.
-- Returns the 1-based index of the last exhausted window (0: none, and the request was counted),
-- followed by each window's usage before this request.
local n = #KEYS
local result = { 0 }
for i = 1, n do
  local usage = tonumber(redis.call('GET', KEYS[i])) or 0
  result[i + 1] = usage
  if tonumber(ARGV[i]) - usage <= 0 then result[1] = i end
end
if result[1] == 0 then
  for i = 1, n do
    if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[n + i]) end
  end
end
return result
`);

export interface RedisUsage {
  /** Index into the keys of the last exhausted window, or -1 when the request passed (and was counted). */
  stop: number;
  /** Usage of each window before this request. */
  usages: number[];
}

/**
 * Checks and counts one request in every configured window, atomically across all nodes.
 * `args`: each window's limit, then each window's length in seconds (in the order of `keys`).
 */
export async function checkAndIncrement(connection: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<RedisUsage> {
  const reply = (await connection.runScript(CHECK_AND_INCREMENT, keys, args)) as number[];
  return { stop: reply[0] - 1, usages: reply.slice(1) };
}

/** The `redis` record of an instance as a connection endpoint (the schema made host required for this policy). */
export function redisEndpoint(config: RateLimitingConfig): RedisEndpoint {
  const redis = config.redis;
  return { ...redis, host: redis.host ?? '' };
}

/** The config of an enabled redis-policy rate-limiting instance, else null. */
function redisPolicyConfig(plugin: Plugin): RateLimitingConfig | null {
  if (!plugin.enabled || plugin.name !== 'rate-limiting') return null;
  const config = plugin.config as unknown as RateLimitingConfig;
  return config.policy === 'redis' ? config : null;
}

/** Every Redis the enabled redis-policy instances of a configuration count in. */
export function redisEndpointsInUse(plugins: readonly Plugin[]): RedisEndpoint[] {
  const endpoints: RedisEndpoint[] = [];
  for (const plugin of plugins) {
    const config = redisPolicyConfig(plugin);
    if (config !== null) endpoints.push(redisEndpoint(config));
  }
  return endpoints;
}

/**
 * Deletes the counters this configuration's redis-policy instances keep: per instance, the keys under
 * its own route/service scope (SCAN + DEL, never FLUSHALL, so other data in that Redis stays).
 */
export async function clearRedisCounters(plugins: readonly Plugin[], connections: RedisConnections): Promise<number> {
  const patterns = new Map<RedisConnection, Set<string>>();
  for (const plugin of plugins) {
    const config = redisPolicyConfig(plugin);
    if (config === null) continue;
    const connection = connections.get(redisEndpoint(config));
    let set = patterns.get(connection);
    if (set === undefined) patterns.set(connection, (set = new Set()));
    set.add(`ratelimit:${plugin.route?.id ?? EMPTY_UUID}:${plugin.service?.id ?? EMPTY_UUID}:*`);
  }
  let deleted = 0;
  for (const [connection, set] of patterns) {
    for (const pattern of set) deleted += await connection.deleteMatching(pattern);
  }
  return deleted;
}

// rate-limiting (Kong PRIORITY 910): fixed UTC-calendar windows counted per identifier, with the
// `local` or the `redis` policy. Unlike Kong, whose local increments run later in a timer (bursts can
// overshoot), usage is read and incremented in one atomic step (synchronous here, one Lua script in
// Redis), so never more than the limit pass, and blocked requests are not counted by either policy.

import { BUNDLED_VERSION, KongExit } from '../types.js';
import type { Plugin, PluginContext, PluginDependencies, PluginHandler, PluginHandlerModule, RateLimitingConfig } from '../types.js';
import { cachedCounterKey, type LocalCounterStore } from './counters.js';
import { checkAndIncrement, redisEndpoint, type RedisUsage } from './policies/redis.js';
import type { RedisConnections, RedisEndpoint } from '../../redis/connections.js';
import { rateLimitIdentifier } from './identifier.js';
import { luaNumberToString } from './lua-number.js';
import { PERIODS, PERIOD_LABEL, WINDOW_SECONDS, secondsToReset, windowEnd, windowStart } from './windows.js';
import type { Period } from './windows.js';

export const PRIORITY = 910;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

const LIMIT_HEADER: Readonly<Record<Period, string>> = Object.fromEntries(
  PERIODS.map((p) => [p, `X-RateLimit-Limit-${PERIOD_LABEL[p]}`]),
) as Record<Period, string>;
const REMAINING_HEADER: Readonly<Record<Period, string>> = Object.fromEntries(
  PERIODS.map((p) => [p, `X-RateLimit-Remaining-${PERIOD_LABEL[p]}`]),
) as Record<Period, string>;

/**
 * `cluster` needs a database, which a DB-less gateway has not (the schema refuses it); should one get
 * here, answering with the reason beats proxying without limits.
 */
function unsupportedPolicy(config: RateLimitingConfig): KongExit {
  return new KongExit(500, `rate-limiting policy "${config.policy}" is not supported by this gateway yet`);
}

/** Scratch space reused by every call: access never awaits, so one request uses it at a time. */
const keys: string[] = [];
const usages: number[] = [];
const starts: number[] = [];
const periods: Period[] = [];
const remainings: number[] = [];

function access(
  localCounters: LocalCounterStore,
  redis: RedisConnections,
  ctx: PluginContext,
  config: RateLimitingConfig,
  plugin: Plugin<RateLimitingConfig>,
): KongExit | void | Promise<KongExit | void> {
  if (config.policy === 'redis') return redisAccess(redis, ctx, config, plugin);
  if (config.policy !== 'local') return unsupportedPolicy(config);

  const requestMs = ctx.startedAt;
  // Kong reads the clock as ngx.time() * 1000: whole seconds.
  const nowMs = Math.floor(requestMs / 1000) * 1000;
  const identifier = rateLimitIdentifier(config, ctx);
  const routeId = plugin.route?.id ?? null;
  const serviceId = plugin.service?.id ?? null;

  let count = 0;
  let stop: Period | null = null;
  try {
    for (const period of PERIODS) {
      const limit = config[period];
      if (limit === null || limit === undefined) continue;
      const start = windowStart(period, nowMs);
      const key = cachedCounterKey(routeId, serviceId, identifier, start, period);
      const usage = localCounters.get(key, requestMs);
      keys[count] = key;
      usages[count] = usage;
      starts[count] = start;
      periods[count] = period;
      count++;
      if (limit - usage <= 0) stop = period;
    }
    // Blocked requests are not counted (local policy).
    if (stop === null) {
      for (let i = 0; i < count; i++) {
        const period = periods[i];
        // Kong's counter lives WINDOW_SECONDS from its first increment (ngx.shared incr init_ttl); the
        // calendar window may end sooner, and then the counter is never read again.
        const expiresAt = Math.min(windowEnd(period, starts[i]), requestMs + WINDOW_SECONDS[period] * 1000);
        localCounters.increment(keys[i], requestMs, expiresAt);
      }
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[rate-limiting] plugin ${plugin.id}: failed to get usage: ${detail}\n`);
    if (config.fault_tolerant) return;
    return new KongExit(500, 'An unexpected error occurred');
  }
  return respond(ctx, config, count, periods, usages, starts, stop, nowMs);
}

/** What a redis-policy instance sends that never changes: built once per configuration object. */
interface RedisPlan {
  endpoint: RedisEndpoint;
  periods: Period[];
  /** The script's ARGV: each window's limit, then each window's length in seconds. */
  args: Array<string | number>;
}

const redisPlans = new WeakMap<RateLimitingConfig, RedisPlan>();

function redisPlan(config: RateLimitingConfig): RedisPlan {
  let plan = redisPlans.get(config);
  if (plan === undefined) {
    const periods = PERIODS.filter((period) => config[period] !== null && config[period] !== undefined);
    plan = {
      endpoint: redisEndpoint(config),
      periods,
      args: [...periods.map((period) => String(config[period])), ...periods.map((period) => WINDOW_SECONDS[period])],
    };
    redisPlans.set(config, plan);
  }
  return plan;
}

async function redisAccess(
  redis: RedisConnections,
  ctx: PluginContext,
  config: RateLimitingConfig,
  plugin: Plugin<RateLimitingConfig>,
): Promise<KongExit | void> {
  const plan = redisPlan(config);
  const count = plan.periods.length;
  if (count === 0) return;
  // Kong reads the clock as ngx.time() * 1000: whole seconds.
  const nowMs = Math.floor(ctx.startedAt / 1000) * 1000;
  const identifier = rateLimitIdentifier(config, ctx);
  const routeId = plugin.route?.id ?? null;
  const serviceId = plugin.service?.id ?? null;
  // Per request (the script is awaited, so other requests run meanwhile): no shared scratch space here.
  const windowKeys = new Array<string>(count);
  const windowStarts = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const period = plan.periods[i];
    const start = windowStart(period, nowMs);
    windowKeys[i] = cachedCounterKey(routeId, serviceId, identifier, start, period);
    windowStarts[i] = start;
  }

  const connection = redis.get(plan.endpoint);
  let result: RedisUsage;
  try {
    result = await checkAndIncrement(connection, windowKeys, plan.args);
  } catch (error) {
    // The reason names the Redis (host:port/db) and what failed; never a key, an identifier or a password.
    const detail = error instanceof Error ? error.message : String(error);
    const outcome = config.fault_tolerant ? 'proxying without rate limiting (fault_tolerant)' : 'answering 500 (fault_tolerant is false)';
    connection.logFailure(`[rate-limiting] plugin ${plugin.id}: failed to get usage: ${detail}; ${outcome}`);
    if (config.fault_tolerant) return;
    return new KongExit(500, 'An unexpected error occurred');
  }
  const stop = result.stop === -1 ? null : plan.periods[result.stop];
  return respond(ctx, config, count, plan.periods, result.usages, windowStarts, stop, nowMs);
}

/** Headers (and the 429) from each configured window's usage before this request, whichever policy counted. */
function respond(
  ctx: PluginContext,
  config: RateLimitingConfig,
  count: number,
  periods: readonly Period[],
  usages: readonly number[],
  starts: readonly number[],
  stop: Period | null,
  nowMs: number,
): KongExit | void {
  if (count === 0) return;

  if (config.hide_client_headers) {
    if (stop !== null) return new KongExit(config.error_code, config.error_message);
    return;
  }

  let bestIndex = -1;
  let bestRemaining = 0;
  for (let i = 0; i < count; i++) {
    const period = periods[i];
    let remaining = (config[period] as number) - usages[i];
    if (stop === null || stop === period) remaining -= 1;
    remaining = Math.max(0, remaining);
    // Most restrictive: smallest remaining; periods go from short to long, so `<=` prefers the longer window on a tie.
    if (bestIndex === -1 || remaining <= bestRemaining) {
      bestIndex = i;
      bestRemaining = remaining;
    }
    remainings[i] = remaining;
  }
  const bestPeriod = periods[bestIndex];
  const reset = luaNumberToString(secondsToReset(bestPeriod, nowMs, starts[bestIndex]));

  if (stop !== null) {
    const headers: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      headers[LIMIT_HEADER[periods[i]]] = luaNumberToString(config[periods[i]] as number);
      headers[REMAINING_HEADER[periods[i]]] = luaNumberToString(remainings[i]);
    }
    headers['RateLimit-Reset'] = reset;
    headers['Retry-After'] = reset;
    headers['RateLimit-Remaining'] = luaNumberToString(bestRemaining);
    headers['RateLimit-Limit'] = luaNumberToString(config[bestPeriod] as number);
    return new KongExit(config.error_code, config.error_message, headers);
  }
  // Passing requests set their headers directly, in the order above, without a record per request.
  for (let i = 0; i < count; i++) {
    ctx.setResponseHeader(LIMIT_HEADER[periods[i]], luaNumberToString(config[periods[i]] as number));
    ctx.setResponseHeader(REMAINING_HEADER[periods[i]], luaNumberToString(remainings[i]));
  }
  ctx.setResponseHeader('RateLimit-Reset', reset);
  ctx.setResponseHeader('RateLimit-Remaining', luaNumberToString(bestRemaining));
  ctx.setResponseHeader('RateLimit-Limit', luaNumberToString(config[bestPeriod] as number));
}

/** One handler per gateway, counting in the store and the Redis connections that gateway hands it. */
export function createRateLimitingHandler({ counters, redis }: PluginDependencies): PluginHandler<RateLimitingConfig> {
  return {
    name: 'rate-limiting',
    priority: PRIORITY,
    access: (ctx, config, plugin) => access(counters, redis, ctx, config, plugin),
  };
}

export const rateLimitingPlugin: PluginHandlerModule<RateLimitingConfig> = {
  name: 'rate-limiting',
  PRIORITY,
  VERSION,
  create: createRateLimitingHandler,
};

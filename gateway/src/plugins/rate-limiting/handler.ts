// rate-limiting (Kong PRIORITY 910): fixed UTC-calendar windows counted per identifier, with the
// `local` policy. Unlike Kong, whose local increments run later in a timer (bursts can overshoot),
// usage is read and incremented in one synchronous step, so never more than the limit pass.

import { BUNDLED_VERSION, KongExit } from '../types.js';
import type { Plugin, PluginContext, PluginDependencies, PluginHandler, PluginHandlerModule, RateLimitingConfig } from '../types.js';
import { cachedCounterKey, type LocalCounterStore } from './counters.js';
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
 * The declaration is valid (Kong's schema accepts redis), but this gateway only counts locally. Answering
 * every request with the reason beats proxying without limits: fault_tolerant covers a store that fails,
 * not a policy that does not exist here.
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
  ctx: PluginContext,
  config: RateLimitingConfig,
  plugin: Plugin<RateLimitingConfig>,
): KongExit | void {
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

/** One handler per gateway, counting in the store that gateway hands it. */
export function createRateLimitingHandler({ counters }: PluginDependencies): PluginHandler<RateLimitingConfig> {
  return {
    name: 'rate-limiting',
    priority: PRIORITY,
    access: (ctx, config, plugin) => access(counters, ctx, config, plugin),
  };
}

export const rateLimitingPlugin: PluginHandlerModule<RateLimitingConfig> = {
  name: 'rate-limiting',
  PRIORITY,
  VERSION,
  create: createRateLimitingHandler,
};

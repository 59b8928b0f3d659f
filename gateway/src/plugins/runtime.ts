// Runs plugins the way Kong's plugins iterator does: handlers in static priority order, and for
// each handler the ONE instance whose scope fits the request best, looked up at the moment the
// handler's turn comes (so an auth plugin that ran earlier can make a consumer-scoped instance
// of a later plugin apply). After a short-circuit the remaining instances are still collected,
// so their response and log phases see the Kong-generated response.

import { KongExit, PluginFailure } from './types.js';
import type { Plugin, PluginContext, PluginHandler } from './types.js';

export interface CollectedPlugin {
  handler: PluginHandler;
  plugin: Plugin;
}

/** consumer id ('' = none) → instance. */
type ByConsumer = Map<string, CollectedPlugin>;
/** service id ('' = none) → consumer level. */
type ByService = Map<string, ByConsumer>;
/** route id ('' = none) → service level. */
type ByRoute = Map<string, ByService>;

interface PlanEntry {
  readonly handler: PluginHandler;
  /** Enabled instances of this plugin by scope. Nested maps keyed by entity ids so a lookup never builds a string. */
  readonly scopes: ByRoute;
}

/** Built once per configuration; shared by every request that runs under it. */
export interface PluginPlan {
  /** Handlers with at least one enabled instance, highest priority first. */
  readonly entries: readonly PlanEntry[];
  /** Names of enabled plugin instances for which no handler is registered (they never run). */
  readonly unhandled: readonly string[];
}

const NONE = '';

/** Kong's sort_by_handler_priority: higher priority first; ties by name, reverse alphabetical. */
function compareHandlers(a: PluginHandler, b: PluginHandler): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

function indexInstance(scopes: ByRoute, collected: CollectedPlugin): void {
  const { plugin } = collected;
  const routeId = plugin.route?.id ?? NONE;
  const serviceId = plugin.service?.id ?? NONE;
  const consumerId = plugin.consumer?.id ?? NONE;
  let byService = scopes.get(routeId);
  if (!byService) scopes.set(routeId, (byService = new Map()));
  let byConsumer = byService.get(serviceId);
  if (!byConsumer) byService.set(serviceId, (byConsumer = new Map()));
  // Validation forbids two instances with the same name and scope; if one slips through, the first declared wins.
  if (!byConsumer.has(consumerId)) byConsumer.set(consumerId, collected);
}

export function buildPluginPlan(plugins: readonly Plugin[], handlers: ReadonlyMap<string, PluginHandler>): PluginPlan {
  const active = new Map<string, Plugin[]>();
  const unhandled = new Set<string>();
  for (const plugin of plugins) {
    if (!plugin.enabled) continue;
    if (!handlers.has(plugin.name)) {
      unhandled.add(plugin.name);
      continue;
    }
    let list = active.get(plugin.name);
    if (!list) active.set(plugin.name, (list = []));
    list.push(plugin);
  }

  const entries: PlanEntry[] = [];
  for (const handler of [...handlers.values()].sort(compareHandlers)) {
    const instances = active.get(handler.name) ?? [];
    // Every handler hears about the new configuration, even with no instances left, so it can drop their state.
    handler.configure?.(instances);
    if (instances.length === 0) continue;
    const scopes: ByRoute = new Map();
    for (const plugin of instances) indexInstance(scopes, { handler, plugin });
    entries.push({ handler, scopes });
  }
  return { entries, unhandled: [...unhandled] };
}

function find(scopes: ByRoute, routeId: string, serviceId: string, consumerId: string): CollectedPlugin | undefined {
  return scopes.get(routeId)?.get(serviceId)?.get(consumerId);
}

/**
 * Kong's lookup_cfg (OSS list): route+service+consumer, route+consumer, service+consumer,
 * route+service, consumer, route, service, global. A level is tried only when every id it
 * names is known for this request and allowed by the handler (no_route/no_service/no_consumer).
 */
function lookupInstance(entry: PlanEntry, ctx: PluginContext): CollectedPlugin | undefined {
  const { handler, scopes } = entry;
  const r = handler.noRoute ? null : (ctx.route?.id ?? null);
  const s = handler.noService ? null : (ctx.service?.id ?? null);
  const c = handler.noConsumer ? null : (ctx.consumer?.id ?? null);
  let found: CollectedPlugin | undefined;
  if (c !== null) {
    if (r !== null && s !== null && (found = find(scopes, r, s, c))) return found;
    if (r !== null && (found = find(scopes, r, NONE, c))) return found;
    if (s !== null && (found = find(scopes, NONE, s, c))) return found;
  }
  if (r !== null && s !== null && (found = find(scopes, r, s, NONE))) return found;
  if (c !== null && (found = find(scopes, NONE, NONE, c))) return found;
  if (r !== null && (found = find(scopes, r, NONE, NONE))) return found;
  if (s !== null && (found = find(scopes, NONE, s, NONE))) return found;
  return find(scopes, NONE, NONE, NONE);
}

const UNEXPECTED = 'An unexpected error occurred';

function reportFailure(phase: string, plugin: Plugin, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  const kind = error instanceof PluginFailure ? 'failed' : 'threw';
  process.stderr.write(`[plugins] ${plugin.name} (${plugin.id}) ${kind} in ${phase}: ${detail}\n`);
}

export interface AccessOutcome {
  collected: CollectedPlugin[];
  exit: KongExit | null;
}

/**
 * Synchronous while every handler is: a promise (and a turn of the event loop) only appears once a handler
 * returns one, e.g. key-auth reading a request body.
 */
export function runAccessPhase(plan: PluginPlan, ctx: PluginContext): AccessOutcome | Promise<AccessOutcome> {
  return continueAccess(plan.entries, 0, ctx, { collected: [], exit: null });
}

function continueAccess(
  entries: PluginPlan['entries'],
  start: number,
  ctx: PluginContext,
  outcome: AccessOutcome,
): AccessOutcome | Promise<AccessOutcome> {
  for (let i = start; i < entries.length; i++) {
    const instance = lookupInstance(entries[i], ctx);
    if (instance === undefined) continue;
    outcome.collected.push(instance);
    if (outcome.exit !== null) continue;
    const { handler, plugin } = instance;
    if (handler.access === undefined) continue;
    let result: ReturnType<NonNullable<PluginHandler['access']>>;
    try {
      result = handler.access(ctx, plugin.config, plugin);
    } catch (error) {
      reportFailure('access', plugin, error);
      outcome.exit = new KongExit(500, UNEXPECTED);
      continue;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          if (value instanceof KongExit) outcome.exit = value;
          return continueAccess(entries, i + 1, ctx, outcome);
        },
        (error: unknown) => {
          reportFailure('access', plugin, error);
          outcome.exit = new KongExit(500, UNEXPECTED);
          return continueAccess(entries, i + 1, ctx, outcome);
        },
      );
    }
    if (result instanceof KongExit) outcome.exit = result;
  }
  return outcome;
}

export function runResponsePhase(collected: readonly CollectedPlugin[], ctx: PluginContext): void {
  for (let i = 0; i < collected.length; i++) {
    const { handler, plugin } = collected[i];
    if (handler.response === undefined) continue;
    try {
      handler.response(ctx, plugin.config, plugin);
    } catch (error) {
      // Headers may already be on their way; a broken header filter must not take the response down.
      reportFailure('response', plugin, error);
    }
  }
}

export function runLogPhase(collected: readonly CollectedPlugin[], ctx: PluginContext): void {
  for (let i = 0; i < collected.length; i++) {
    const { handler, plugin } = collected[i];
    if (handler.log === undefined) continue;
    try {
      handler.log(ctx, plugin.config, plugin);
    } catch (error) {
      reportFailure('log', plugin, error);
    }
  }
}

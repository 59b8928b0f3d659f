// Holds the active configuration and swaps it atomically. A request takes the snapshot once
// when it arrives and keeps it to the end, so in-flight requests finish on the old
// configuration while new ones see the new one.

import { emptyFlatConfig, type Consumer, type FlatConfig } from './declarative/entities.js';
import { buildRouter, type Router } from './router/index.js';
import { buildPluginPlan, type PluginPlan } from './plugins/runtime.js';
import type { BasicauthLookup, EntityLookup, PluginHandler } from './plugins/types.js';

/** Kong's hash before any configuration was loaded. */
export const EMPTY_CONFIG_HASH = '00000000000000000000000000000000';

export interface ActiveConfig {
  readonly config: FlatConfig;
  /** md5 hex, as /status shows it in `configuration_hash`. */
  readonly hash: string;
  readonly router: Router;
  readonly plan: PluginPlan;
  readonly entities: EntityLookup;
  /** Milliseconds since the epoch. */
  readonly loadedAt: number;
}

function buildEntityLookup(config: FlatConfig): EntityLookup {
  const byId = new Map<string, Consumer>();
  const byUsername = new Map<string, Consumer>();
  for (const consumer of config.consumers) {
    byId.set(consumer.id, consumer);
    if (consumer.username !== null) byUsername.set(consumer.username, consumer);
  }
  const credentials = new Map<string, { id: string; consumerId: string; ttl: number | null; createdAt: number }>();
  for (const credential of config.keyauth_credentials) {
    credentials.set(credential.key, {
      id: credential.id,
      consumerId: credential.consumer.id,
      ttl: credential.ttl,
      createdAt: credential.created_at,
    });
  }
  const basicauth = new Map<string, BasicauthLookup>();
  for (const credential of config.basicauth_credentials) {
    basicauth.set(credential.username, {
      id: credential.id,
      consumerId: credential.consumer.id,
      username: credential.username,
      passwordHash: credential.password,
    });
  }
  const groups = new Map<string, string[]>();
  for (const acl of config.acls) {
    let list = groups.get(acl.consumer.id);
    if (!list) groups.set(acl.consumer.id, (list = []));
    list.push(acl.group);
  }
  return {
    consumerById: (id) => byId.get(id),
    consumerByUsername: (username) => byUsername.get(username),
    keyauthCredentialByKey: (key) => credentials.get(key),
    basicauthCredentialByUsername: (username) => basicauth.get(username),
    consumerGroups: (consumerId) => groups.get(consumerId) ?? NO_GROUPS,
  };
}

const NO_GROUPS: readonly string[] = Object.freeze([]);

/** The handlers one gateway runs its plugins with (plugins/registry.ts createPluginHandlers). */
export type PluginHandlers = ReadonlyMap<string, PluginHandler>;

/** Everything the proxy needs, compiled once per configuration (never per request). */
export function compileConfig(config: FlatConfig, hash: string, handlers: PluginHandlers, now = Date.now()): ActiveConfig {
  return {
    config,
    hash,
    router: buildRouter(config.routes, config.services),
    plan: buildPluginPlan(config.plugins, handlers),
    entities: buildEntityLookup(config),
    loadedAt: now,
  };
}

export type ConfigListener = (next: ActiveConfig) => void;

export class ConfigStore {
  #current: ActiveConfig;
  readonly #listeners: ConfigListener[] = [];
  readonly #handlers: PluginHandlers;

  constructor(handlers: PluginHandlers) {
    this.#handlers = handlers;
    this.#current = compileConfig(emptyFlatConfig(), EMPTY_CONFIG_HASH, handlers);
  }

  get current(): ActiveConfig {
    return this.#current;
  }

  /** Compiles first and swaps only when everything compiled: a failure leaves the running config as it was. */
  apply(config: FlatConfig, hash: string): ActiveConfig {
    const next = compileConfig(config, hash, this.#handlers);
    this.#current = next;
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  /** Called after each swap (e.g. to close upstream pools no service uses any more). */
  onApply(listener: ConfigListener): void {
    this.#listeners.push(listener);
  }
}

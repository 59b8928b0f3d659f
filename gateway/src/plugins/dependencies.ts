// The state one running gateway hands its plugins, built in one place so a test's gateway and the
// real one get the same set (anything left out gets a fresh, unshared default).

import { LocalCounterStore } from './rate-limiting/counters.js';
import { RedisConnections } from '../redis/connections.js';
import { ProxyCacheStores } from './proxy-cache/memory-strategy.js';
import { TcpLogSender } from './tcp-log/sender.js';
import type { AddressSettings } from '../net/resolve-address.js';
import type { PluginDependencies } from './types.js';

/** Kong's mem_cache_size default (128m): the size of kong_db_cache, where proxy-cache's memory strategy stores. */
export const DEFAULT_MEM_CACHE_SIZE = 128 * 1024 * 1024;

export interface PluginDependencyOptions {
  counters?: LocalCounterStore;
  redis?: RedisConnections;
  /** Bytes proxy-cache may hold per dict before evicting the least recently used entries. */
  memCacheSize?: number;
  /** How log sinks' host names resolve (the gateway's overrides and hosts file); none by default. */
  destinations?: AddressSettings;
}

export function createPluginDependencies(options: PluginDependencyOptions = {}): PluginDependencies {
  return {
    counters: options.counters ?? new LocalCounterStore(),
    redis: options.redis ?? new RedisConnections({ upstreamOverrides: new Map(), hostsFile: new Map() }),
    proxyCache: new ProxyCacheStores(options.memCacheSize ?? DEFAULT_MEM_CACHE_SIZE),
    tcpLog: new TcpLogSender(options.destinations ?? { upstreamOverrides: new Map(), hostsFile: new Map() }),
  };
}

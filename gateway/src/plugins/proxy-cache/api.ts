// proxy-cache's Admin API (kong/plugins/proxy-cache/api.lua):
//   DELETE /proxy-cache                              → 204, every proxy-cache plugin's dict flushed
//   GET    /proxy-cache/{key}                        → 200 the stored entry, 404 when no plugin holds it
//   DELETE /proxy-cache/{key}                        → 204 purged, 404 when no plugin holds it
//   GET    /proxy-cache/{plugin_id}/caches/{key}     → the same, for one plugin's dict
//   DELETE /proxy-cache/{plugin_id}/caches/{key}
// Entries are shown as Kong's memory strategy stores them (status, headers, body, body_len,
// timestamp, ttl, version, req_body).

import type { Plugin } from '../types.js';
import type { CachedResponse, MemoryStrategy, ProxyCacheStores } from './memory-strategy.js';
import type { ProxyCacheConfig } from './schema.js';

export const PROXY_CACHE_PREFIX = 'proxy-cache';

export interface ProxyCacheApiResult {
  status: number;
  body: unknown;
}

export class ProxyCacheMethodNotAllowed extends Error {}

const NOT_FOUND: ProxyCacheApiResult = { status: 404, body: { message: 'Not found' } };
const NO_CONTENT: ProxyCacheApiResult = { status: 204, body: null };

function asJson(entry: CachedResponse): Record<string, unknown> {
  return { ...entry, body: entry.body.toString('utf8') };
}

function strategies(stores: ProxyCacheStores, plugins: readonly Plugin[]): MemoryStrategy[] {
  return plugins
    .filter((plugin) => plugin.name === 'proxy-cache')
    .map((plugin) => stores.dictionary((plugin.config as unknown as ProxyCacheConfig).memory.dictionary_name));
}

function onEntry(method: string, strategy: MemoryStrategy, key: string): ProxyCacheApiResult | null {
  const entry = strategy.fetch(key);
  if (entry === undefined) return null;
  if (method === 'GET') return { status: 200, body: asJson(entry) };
  strategy.purge(key);
  return NO_CONTENT;
}

/** Answers `/proxy-cache/...` (segments after the prefix); undefined when the path is not one of these. */
export function handleProxyCacheRequest(
  method: string,
  segments: readonly string[],
  stores: ProxyCacheStores,
  plugins: readonly Plugin[],
): ProxyCacheApiResult | undefined {
  if (segments.length === 0) {
    if (method !== 'DELETE') throw new ProxyCacheMethodNotAllowed();
    for (const strategy of strategies(stores, plugins)) strategy.flush();
    return NO_CONTENT;
  }
  if (segments.length === 1) {
    if (method !== 'GET' && method !== 'DELETE') throw new ProxyCacheMethodNotAllowed();
    for (const strategy of strategies(stores, plugins)) {
      const result = onEntry(method, strategy, segments[0]);
      if (result !== null) return result;
    }
    return NOT_FOUND;
  }
  if (segments.length === 3 && segments[1] === 'caches') {
    if (method !== 'GET' && method !== 'DELETE') throw new ProxyCacheMethodNotAllowed();
    const plugin = plugins.find((p) => p.id === segments[0] && p.name === 'proxy-cache');
    if (plugin === undefined) return NOT_FOUND;
    const strategy = stores.dictionary((plugin.config as unknown as ProxyCacheConfig).memory.dictionary_name);
    return onEntry(method, strategy, segments[2]) ?? NOT_FOUND;
  }
  return undefined;
}

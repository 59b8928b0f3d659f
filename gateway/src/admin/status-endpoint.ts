// GET /status and /status/ready (kong/api/routes/health.lua) for a DB-less node: nginx-style
// connection counters, memory in Kong's formatting, and the hash of the active configuration
// instead of the `database` block.

import { EMPTY_CONFIG_HASH } from '../config-store.js';
import type { ServerStats } from '../server-stats.js';
import { AdminHttpError } from './http.js';
import type { EndpointResult } from './entity-endpoints.js';

export class ByteUnitError extends Error {}

/** Kong's bytes_to_str: `b` prints whole bytes, `k`/`m`/`g` print KiB/MiB/GiB with `scale` decimals. */
export function bytesToStr(bytes: number, unit: string, scale: number | null): string {
  const lower = unit.toLowerCase();
  if (lower === '' || lower === 'b') return String(Math.trunc(bytes));
  const digits = scale ?? 2;
  if (digits < 0) throw new ByteUnitError('scale must be equal or greater than 0');
  const divisor = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[lower];
  if (divisor === undefined) throw new ByteUnitError(`invalid unit '${unit}' (expected 'k/K', 'm/M', or 'g/G')`);
  const suffix = { k: 'KiB', m: 'MiB', g: 'GiB' }[lower as 'k' | 'm' | 'g'];
  return `${(bytes / divisor).toFixed(Math.min(digits, 100))} ${suffix}`;
}

// Kong's shared dictionaries (capacity from its nginx template); usage is not tracked here, so
// the allocated slabs show what an idle node shows.
const SHARED_DICTS: ReadonlyArray<[string, number]> = [
  ['kong', 5 * 2 ** 20],
  ['kong_locks', 8 * 2 ** 20],
  ['kong_healthchecks', 5 * 2 ** 20],
  ['kong_cluster_events', 5 * 2 ** 20],
  ['kong_rate_limiting_counters', 12 * 2 ** 20],
  ['kong_core_db_cache', 128 * 2 ** 20],
  ['kong_core_db_cache_miss', 12 * 2 ** 20],
  ['kong_db_cache', 128 * 2 ** 20],
  ['kong_db_cache_miss', 12 * 2 ** 20],
  ['kong_secrets', 5 * 2 ** 20],
];
const IDLE_SLABS_BYTES = 40 * 1024;

export interface StatusInput {
  query: Record<string, string>;
  stats: ServerStats;
  configurationHash: string;
}

export function statusEndpoint({ query, stats, configurationHash }: StatusInput): EndpointResult {
  const unit = query.unit ?? 'm';
  // Lua's tonumber(): an unparsable scale is simply ignored (nil → default 2).
  const parsedScale = query.scale === undefined || query.scale.trim() === '' ? NaN : Number(query.scale);
  const scale = Number.isNaN(parsedScale) ? null : parsedScale;
  const format = (bytes: number): string => bytesToStr(bytes, unit, scale);
  try {
    format(0);
  } catch (error) {
    if (error instanceof ByteUnitError) throw new AdminHttpError(400, { message: error.message });
    throw error;
  }

  const lua_shared_dicts: Record<string, { allocated_slabs: string; capacity: string }> = {};
  for (const [name, capacity] of SHARED_DICTS) {
    lua_shared_dicts[name] = { allocated_slabs: format(IDLE_SLABS_BYTES), capacity: format(capacity) };
  }
  return {
    status: 200,
    body: {
      memory: {
        workers_lua_vms: [{ http_allocated_gc: format(process.memoryUsage().heapUsed), pid: process.pid }],
        lua_shared_dicts,
      },
      server: {
        connections_active: stats.connectionsActive,
        connections_reading: stats.connectionsReading,
        connections_writing: stats.connectionsWriting,
        connections_waiting: stats.connectionsWaiting,
        connections_accepted: stats.connectionsAccepted,
        connections_handled: stats.connectionsHandled,
        total_requests: stats.totalRequests,
      },
      configuration_hash: configurationHash,
    },
  };
}

/** Ready once a configuration is loaded (Kong DB-less: 503 while the hash is the empty one). */
export function statusReadyEndpoint(configurationHash: string): EndpointResult {
  return configurationHash === EMPTY_CONFIG_HASH
    ? { status: 503, body: { message: 'no configuration available (empty configuration present)' } }
    : { status: 200, body: { message: 'ready' } };
}

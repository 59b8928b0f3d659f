// GET / (kong/api/routes/kong.lua): node information. decK reads `version` from here.

import type { FlatConfig } from '../declarative/entities.js';
import type { AvailablePlugin } from '../plugins/registry.js';
import type { GatewaySettings, ListenAddress } from '../settings.js';
import type { EndpointResult } from './entity-endpoints.js';

/** What OpenResty 1.25 (Kong 3.7–3.11) reports as jit.version. */
export const LUA_VERSION = 'LuaJIT 2.1.0-20231117';

export interface RootInput {
  settings: GatewaySettings;
  config: FlatConfig;
  availablePlugins: readonly AvailablePlugin[];
  nodeId: string;
  hostname: string;
}

function listen(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Plugin names in use by the active configuration, in order of first appearance (Kong: distinct names of all plugin rows). */
export function pluginsInUse(config: FlatConfig): string[] {
  return [...new Set(config.plugins.map((plugin) => plugin.name))];
}

/** The parts of kong.conf a DB-less node of this gateway runs with, sanitized as Kong's remove_sensitive leaves them. */
function configuration(settings: GatewaySettings, pluginNames: readonly string[]): Record<string, unknown> {
  const proxyListen = listen(settings.proxyListen);
  const adminListen = listen(settings.adminListen);
  return {
    database: 'off',
    role: 'traditional',
    router_flavor: 'traditional_compatible',
    declarative_config: settings.declarativeConfig,
    proxy_listen: [proxyListen],
    admin_listen: [adminListen],
    stream_listen: ['off'],
    proxy_listeners: [{ listener: proxyListen, ip: settings.proxyListen.host, port: settings.proxyListen.port, ssl: false, http2: false }],
    admin_listeners: [{ listener: adminListen, ip: settings.adminListen.host, port: settings.adminListen.port, ssl: false, http2: false }],
    plugins: ['bundled'],
    loaded_plugins: Object.fromEntries(pluginNames.map((name) => [name, true])),
    headers: ['server_tokens', 'latency_tokens', 'x-kong-request-id'],
    headers_upstream: ['x-kong-request-id'],
    proxy_access_log: settings.accessLog ? '/dev/stdout' : 'off',
    nginx_worker_processes: '1',
    lmdb_map_size: '2048m',
    log_level: 'notice',
    prefix: '/usr/local/kong',
    dns_hostsfile: '/etc/hosts',
  };
}

export function rootEndpoint({ settings, config, availablePlugins, nodeId, hostname }: RootInput): EndpointResult {
  const sorted = [...availablePlugins].sort((a, b) => a.name.localeCompare(b.name));
  const available: Record<string, { version: string; priority: number }> = {};
  for (const plugin of sorted) available[plugin.name] = { version: plugin.version ?? settings.version, priority: plugin.priority };
  return {
    status: 200,
    body: {
      tagline: 'Welcome to kong',
      version: settings.version,
      edition: settings.edition,
      hostname,
      node_id: nodeId,
      timers: { running: 0, pending: 1 },
      plugins: { available_on_server: available, enabled_in_cluster: pluginsInUse(config) },
      lua_version: LUA_VERSION,
      configuration: configuration(settings, sorted.map((plugin) => plugin.name)),
      pids: { master: process.pid, workers: [process.pid] },
    },
  };
}

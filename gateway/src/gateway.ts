// Starts the proxy and admin listeners around one configuration store, and stops them with a drain.

import { createServer, type Server } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import { ConfigStore } from './config-store.js';
import { createAccessLog, type AccessLog } from './access-log.js';
import { createAdminHandler } from './admin/index.js';
import { parseDeclarativeText } from './declarative/parse.js';
import { decodeUtf8Strict, InvalidUtf8Error } from './http/utf8.js';
import { loadDeclarativeConfig } from './declarative/load.js';
import { DeclarativeConfigError } from './declarative/errors.js';
import { LocalCounterStore } from './plugins/rate-limiting/counters.js';
import { createPluginDependencies } from './plugins/dependencies.js';
import { createPluginHandlers } from './plugins/registry.js';
import { clearRedisCounters, redisEndpointsInUse } from './plugins/rate-limiting/policies/redis.js';
import { RedisConnections } from './redis/connections.js';
import { createProxyHandler } from './proxy/proxy-handler.js';
import { UpstreamPools } from './proxy/upstream-pools.js';
import { createServerStats, type ServerStats } from './server-stats.js';
import type { GatewaySettings, ListenAddress } from './settings.js';

export class DeclarativeConfigFileError extends Error {
  constructor(path: string, detail: string) {
    super(`KONG_DECLARATIVE_CONFIG=${path} was rejected: ${detail}. Fix the file (or unset the variable) and start again.`);
    this.name = 'DeclarativeConfigFileError';
  }
}

export interface RunningGateway {
  readonly proxy: ListenAddress;
  readonly admin: ListenAddress;
  readonly store: ConfigStore;
  /** This gateway's rate-limiting counters: its own, never another gateway's in the same process. */
  readonly counters: LocalCounterStore;
  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes everything. */
  close(): Promise<void>;
}

export interface StartOptions {
  accessLog?: AccessLog;
}

function listen(server: Server, address: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address() as AddressInfo;
      resolve({ host: address.host, port: bound.port });
    });
  });
}

function trackConnections(server: Server, stats: ServerStats): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    stats.connectionsAccepted += 1;
    stats.connectionsHandled += 1;
    stats.connectionsActive += 1;
    socket.once('close', () => {
      sockets.delete(socket);
      stats.connectionsActive -= 1;
    });
  });
  server.on('request', () => {
    stats.totalRequests += 1;
  });
  return sockets;
}

async function loadInitialConfig(store: ConfigStore, path: string): Promise<void> {
  const bytes = await readFile(path);
  let text: string;
  let input: unknown;
  try {
    text = decodeUtf8Strict(bytes);
    input = parseDeclarativeText(text);
  } catch (err) {
    const detail = err instanceof DeclarativeConfigError ? err.describe().join('; ') : err instanceof InvalidUtf8Error ? err.message : String(err);
    throw new DeclarativeConfigFileError(path, detail);
  }
  const result = loadDeclarativeConfig(input, { flattenErrors: true });
  if (!result.ok) throw new DeclarativeConfigFileError(path, result.error.describe().join('; '));
  store.apply(result.config, createHash('md5').update(text).digest('hex'));
}

/** Node checks header deadlines on an interval (30 s by default): often enough that the 408 comes near its time. */
function headerCheckInterval(headerTimeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.floor(headerTimeoutMs / 10)));
}

export async function startGateway(settings: GatewaySettings, options: StartOptions = {}): Promise<RunningGateway> {
  // Plugin state belongs to this gateway: a second gateway in the process gets its own.
  const counters = new LocalCounterStore();
  // Connections open on first use: a declaration naming a Redis that is down still loads, as in Kong.
  const redis = new RedisConnections(settings);
  const pluginDeps = createPluginDependencies({ counters, redis, memCacheSize: settings.memCacheSize, destinations: settings });
  const store = new ConfigStore(createPluginHandlers(pluginDeps));
  if (settings.declarativeConfig !== null) await loadInitialConfig(store, settings.declarativeConfig);

  const stats = createServerStats();
  const pools = new UpstreamPools(settings);
  store.onApply((next) => pools.retain(next.config.services));
  store.onApply((next) => redis.retain(redisEndpointsInUse(next.config.plugins)));
  const log = options.accessLog ?? createAccessLog(settings.accessLog);

  const proxyServer = createServer(
    {
      keepAliveTimeout: 60_000,
      // nginx's client_header_timeout: Node answers 408 when a request head takes longer. The whole
      // request is not bounded (requestTimeout 0): client_body_timeout is a pause between reads, timed per request.
      headersTimeout: settings.clientHeaderTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: headerCheckInterval(settings.clientHeaderTimeoutMs),
    },
    createProxyHandler({ store, settings, pools, log }),
  );
  const adminServer = createServer(
    createAdminHandler({
      store,
      settings,
      stats,
      counters: {
        size: () => counters.size(),
        clear: async () => {
          counters.clear();
          await clearRedisCounters(store.current.config.plugins, redis);
        },
      },
      proxyCache: pluginDeps.proxyCache,
      nodeId: randomUUID(),
      hostname: hostname(),
      startedAt: Date.now(),
    }),
  );
  const proxySockets = trackConnections(proxyServer, stats);
  const proxy = await listen(proxyServer, settings.proxyListen);
  let admin: ListenAddress;
  try {
    admin = await listen(adminServer, settings.adminListen);
  } catch (err) {
    proxyServer.close();
    counters.clear();
    await redis.close();
    pluginDeps.tcpLog.close();
    throw err;
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      adminServer.close();
      adminServer.closeAllConnections();
      const drained = new Promise<void>((resolve) => proxyServer.close(() => resolve()));
      proxyServer.closeIdleConnections();
      const timer = setTimeout(() => proxyServer.closeAllConnections(), settings.drainTimeoutMs);
      timer.unref();
      // Keep-alive connections that finish their request mid-drain must not linger.
      const idleSweep = setInterval(() => proxyServer.closeIdleConnections(), 100);
      idleSweep.unref();
      await drained;
      clearTimeout(timer);
      clearInterval(idleSweep);
      for (const socket of proxySockets) socket.destroy();
      await pools.close();
      counters.clear();
      await redis.close();
      pluginDeps.proxyCache.flushAll();
      pluginDeps.tcpLog.close();
      log.flush();
    })();
    return closing;
  };

  return { proxy, admin, store, counters, close };
}

// A local environment: httpbin plus our gateway as child processes on free ports, reached on loopback.

import { performance } from 'node:perf_hooks';
import { debianHttpbinAvailability, startUpstream } from '../upstream/index.js';
import { REDIS_INSTALL_HINT, redisServerAvailability } from '../redis/redis-server.js';
import { reserveRedis, type EnvironmentRedis } from '../redis/on-demand.js';
import { startGatewayNodes, type GatewayNodes } from './gateway-nodes.js';
import { WORKSHOP_REDIS, WORKSHOP_UPSTREAM } from '../constants.js';
import { registerCleanup } from './cleanup.js';
import { EnvironmentStartError } from './errors.js';
import { startTcpLogSink, type TcpLogSink } from '../sink/tcp-log-sink.js';
import { TCP_LOG_SINK, type LocalEnvironmentOptions, type LocalLabEnvironment, type UpstreamChoice } from './types.js';

/** The workshop's declarations name this upstream; the gateway is told where it really is. */
/** …and this Redis, for `policy: redis`. */
export { WORKSHOP_REDIS };

function describeUpstreamKind(kind: string): string {
  if (kind === 'debian-httpbin') return "Debian's, gunicorn";
  if (kind === 'embedded-httpbin') return 'embedded';
  return kind;
}

function describeChoice(choice: UpstreamChoice): string {
  if (choice !== 'auto') return describeUpstreamKind(choice);
  return describeUpstreamKind(debianHttpbinAvailability().available ? 'debian-httpbin' : 'embedded-httpbin');
}

export async function startLocalEnvironment(options: LocalEnvironmentOptions = {}): Promise<LocalLabEnvironment> {
  const progress = options.onProgress ?? (() => undefined);
  const choice = options.upstream ?? 'auto';
  const startedAt = performance.now();

  if (options.redis) {
    const availability = redisServerAvailability();
    if (!availability.available) {
      throw new EnvironmentStartError(`this environment needs a Redis, but ${availability.reason}. Install it: ${REDIS_INSTALL_HINT}, or use the containers runtime.`);
    }
  }
  progress(`starting httpbin (${describeChoice(choice)})…`);
  const upstream = await startUpstream(choice);
  let sink: TcpLogSink | null = null;
  const nodeCount = options.nodes ?? 1;
  let cluster: GatewayNodes | null = null;
  let redis: EnvironmentRedis | null = null;

  let closing: Promise<void> | null = null;
  const closeStarted = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await cluster?.close();
      } finally {
        try {
          await sink?.close();
          await upstream.close();
        } finally {
          await redis?.close();
        }
      }
    })();
    return closing;
  };
  const unregister = registerCleanup(closeStarted, () => (cluster ? cluster.nodes.map((node) => node.pid) : []));
  const fail = async (err: unknown): Promise<never> => {
    await closeStarted().catch(() => undefined);
    unregister();
    throw err;
  };

  let overrides = `${WORKSHOP_UPSTREAM}=${upstream.host}:${upstream.port}`;
  try {
    // Its port is fixed now even when it starts later (a sync of a `policy: redis` declaration), so
    // the nodes know from the start where the workshop's Redis name points.
    if (options.redis) progress('starting redis-server…');
    redis = await reserveRedis({ startNow: options.redis === true });
  } catch (err) {
    return fail(err);
  }
  if (redis) overrides += `,${WORKSHOP_REDIS}=${redis.host}:${redis.port}`;
  try {
    sink = await startTcpLogSink();
  } catch (err) {
    return fail(err);
  }
  overrides += `,${TCP_LOG_SINK}=${sink.host}:${sink.port}`;
  const env = {
    KONG_PROXY_LISTEN: '127.0.0.1:0',
    KONG_ADMIN_LISTEN: '127.0.0.1:0',
    KONG_UPSTREAM_OVERRIDES: overrides,
    KONG_PROXY_ACCESS_LOG: 'off',
    // Lab requests are short; a long drain would only slow every close().
    KONG_DRAIN_TIMEOUT_MS: '2000',
    ...options.gatewayEnv,
  };
  progress(`httpbin (${describeUpstreamKind(upstream.kind)}) at ${upstream.url}; starting ${nodeCount === 1 ? 'the gateway' : `${nodeCount} gateway nodes behind a balancer`}…`);
  try {
    cluster = await startGatewayNodes({ count: nodeCount, env });
  } catch (err) {
    return fail(err);
  }
  progress(`ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  const running = cluster;
  // Node 1's Admin API is the environment's; the proxy is the balancer's once there are several nodes. Both are
  // read when asked: scale() changes the nodes (and the first scale-up puts the balancer in front).
  return {
    runtime: 'local',
    get proxyUrl() {
      return running.proxyUrl;
    },
    adminUrl: running.nodes[0].adminUrl,
    upstream: { kind: upstream.kind, url: upstream.url },
    tcpLogSink: sink,
    gatewayPid: running.nodes[0].pid,
    get nodes() {
      return running.nodes.map((node) => ({ proxyUrl: node.proxyUrl, adminUrl: node.adminUrl, pid: node.pid }));
    },
    redis,
    scale: (count: number) => running.scale(count),
    async close() {
      try {
        await closeStarted();
      } finally {
        unregister();
      }
    },
  };
}

// A lab environment in Docker: httpbin, N gateway nodes and a Redis as containers on a network of
// their own, where httpbin and Redis answer to the workshop's names (httpbin.kong.svc.cluster.local:8000,
// redis-stack.redis.svc.cluster.local:6379) just as in the workshop's Kubernetes, so the declarations
// work unchanged. Each node's proxy and Admin API are published on free ports of 127.0.0.1; with
// several nodes, the harness's per-connection TCP balancer (the Kubernetes Service's stand-in, as on
// the local runtime) listens in this process in front of the published proxy ports.

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Dockerode from 'dockerode';
import type { StartedTestContainer } from 'testcontainers';
import { HttpWaitError, waitForAdminApi, waitForHttp } from '../../http/index.js';
import { KONG_ADMIN_PORT, KONG_PROXY_PORT, WORKSHOP_HTTPBIN_HOST, WORKSHOP_HTTPBIN_PORT } from '../../constants.js';
import { registerCleanup } from '../cleanup.js';
import { checkNodeCount, serializedScale, shareConfiguration, type ConfigurableNode } from '../gateway-nodes.js';
import { startTcpBalancer, type TcpBalancer } from '../tcp-balancer.js';
import { TCP_LOG_SINK, type GatewayNode, type LabEnvironment } from '../types.js';
import type { EnvironmentRedis } from '../../redis/on-demand.js';
import { startTcpLogSink, type TcpLogSink } from '../../sink/tcp-log-sink.js';
import type { BaseStrategy } from './base-images.js';
import { connectDocker } from './connect-docker.js';
import { removeEnvironmentResources, removeLeftovers } from './docker-resources.js';
import { ContainerStartError } from './errors.js';
import { labContainer } from './lab-container.js';
import { ensureLabImages, type LabImages } from './lab-images.js';
import { LABEL_ENVIRONMENT, LABEL_ROLE, ownerLabels } from './labels.js';
import { containerRedis, REDIS_CONTAINER_PORT, WORKSHOP_REDIS_ALIAS } from './redis-container.js';

/** The workshop's Kubernetes service name for httpbin, and its port. */
export const WORKSHOP_HTTPBIN_ALIAS = WORKSHOP_HTTPBIN_HOST;
const HTTPBIN_PORT = WORKSHOP_HTTPBIN_PORT;
// Inside the container the gateway listens where Kong does; the host ports are published ones.
const PROXY_PORT = KONG_PROXY_PORT;
const ADMIN_PORT = KONG_ADMIN_PORT;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 20_000;
const LOG_TAIL_LINES = 30;


export interface ContainerIds {
  /** Node 1's (the Admin API the environment names). */
  readonly gateway: string;
  /** Every gateway node's, node 1 first. */
  readonly nodes: readonly string[];
  readonly httpbin: string;
  readonly redis: string;
}

export interface ContainerLabEnvironment extends Omit<LabEnvironment, 'runtime'> {
  readonly runtime: 'containers';
  /** `debian-httpbin` when the httpbin image is built on Debian's package (the same server as --runtime local). */
  readonly upstream: { kind: string; url: string };
  readonly nodes: readonly GatewayNode[];
  /** Its redis-server runs when asked (`redis: true`), else from the first `ensure()` (a sync of a `policy: redis` declaration). */
  readonly redis: EnvironmentRedis;
  readonly environmentId: string;
  readonly network: string;
  readonly containers: ContainerIds;
  readonly images: { readonly gateway: string; readonly httpbin: string; readonly redis: string };
  /** N gateway containers from now on: proxyUrl, nodes and containers.nodes are read afresh after it. */
  scale(nodes: number): Promise<void>;
}

export interface ContainerEnvironmentOptions {
  onProgress?: (message: string) => void;
  /** Every line of an image build, when one is needed (default: milestones only, via onProgress). */
  onBuildLog?: (line: string) => void;
  /** How to choose image bases when an image must be built (default auto). */
  base?: BaseStrategy;
  /** Extra KONG_* variables for the gateway containers; they win over the ones set here. */
  gatewayEnv?: Record<string, string>;
  probeTimeoutMs?: number;
  startTimeoutMs?: number;
  /**
   * Host ports for the proxy (the balancer's with several nodes) and node 1's Admin API (default 0:
   * free ones, as labs and tests want).
   */
  proxyPort?: number;
  adminPort?: number;
  /** Gateway containers sharing every setting (default 1); more than one go behind the balancer. */
  nodes?: number;
  /** Start redis-server with the environment instead of on demand. */
  redis?: boolean;
}

/** A gateway node of this environment: its container, its name, and where it answers. */
interface NodeContainer {
  container: StartedTestContainer;
  name: string;
  node: GatewayNode;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function logTail(dockerode: Dockerode, name: string): Promise<string> {
  try {
    const buffer = (await dockerode.getContainer(name).logs({ stdout: true, stderr: true, tail: LOG_TAIL_LINES })) as Buffer;
    // Without a TTY each chunk carries an 8-byte header (stream, length).
    const lines: string[] = [];
    for (let offset = 0; offset + 8 <= buffer.length; ) {
      const length = buffer.readUInt32BE(offset + 4);
      lines.push(buffer.subarray(offset + 8, offset + 8 + length).toString('utf8'));
      offset += 8 + length;
    }
    return lines.join('').trimEnd() || '(no output)';
  } catch (err) {
    return `(no logs: ${(err as Error).message})`;
  }
}

function upstreamKind(images: LabImages): string {
  const httpbin = images.reports.find((report) => report.name === 'httpbin');
  return httpbin?.base.startsWith('kong-labkit/debian-httpbin:') ? 'debian-httpbin' : 'httpbin-container';
}

export async function startContainerEnvironment(options: ContainerEnvironmentOptions = {}): Promise<ContainerLabEnvironment> {
  const progress = options.onProgress ?? (() => undefined);
  const startedAt = performance.now();
  const nodeCount = options.nodes ?? 1;
  if (!Number.isInteger(nodeCount) || nodeCount < 1) {
    throw new ContainerStartError(`the number of gateway nodes must be a whole number of at least 1, not ${nodeCount}`);
  }
  const docker = await connectDocker({ probeTimeoutMs: options.probeTimeoutMs });
  const { dockerode, testcontainers, endpoint } = docker;

  const leftovers = await removeLeftovers(dockerode);
  if (leftovers.containers + leftovers.networks > 0) {
    progress(`removed ${leftovers.containers} container(s) and ${leftovers.networks} network(s) left by an earlier run that did not finish`);
  }

  const images = await ensureLabImages(dockerode, {
    base: options.base,
    // A build's "Step n/m" lines are detail here (npm run images shows them as milestones).
    onProgress: (message) => (/: Step \d+\/\d+ : /.test(message) ? options.onBuildLog?.(message) : progress(message)),
    onLog: options.onBuildLog,
  });
  for (const report of images.reports.filter((r) => r.built)) {
    progress(`built ${report.tag} in ${report.seconds.toFixed(1)} s`);
  }

  const environmentId = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const network = `kong-labkit-${environmentId}`;
  const labels = (role: string) => ({ ...ownerLabels(), [LABEL_ENVIRONMENT]: environmentId, [LABEL_ROLE]: role });

  let sink: TcpLogSink | null = null;
  let balancer: TcpBalancer | null = null;
  let closing: Promise<void> | null = null;
  const removeAll = (): Promise<void> => {
    closing ??= Promise.all([balancer?.close(), removeEnvironmentResources(dockerode, environmentId), sink?.close()]).then(() => undefined);
    return closing;
  };
  // Ctrl-C / SIGTERM: the process-wide handler removes our containers; a crash or kill -9 leaves
  // them to the next start's removeLeftovers.
  const unregister = registerCleanup(removeAll);
  const fail = async (err: unknown): Promise<never> => {
    await removeAll().catch(() => undefined);
    unregister();
    throw err;
  };

  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const nodeName = (number: number): string => `${network}-gateway${number === 1 ? '' : `-${number}`}`;
  const nodeNames = Array.from({ length: nodeCount }, (_, index) => nodeName(index + 1));
  let gatewayEnv: Record<string, string> = {};
  const startGateway = (name: string, hostPorts: { proxy: number; admin: number }): Promise<StartedTestContainer> =>
    labContainer(testcontainers, {
      image: images.gateway,
      name,
      network,
      ports: [PROXY_PORT, ADMIN_PORT],
      hostPorts: { [PROXY_PORT]: hostPorts.proxy, [ADMIN_PORT]: hostPorts.admin },
      loopbackOnly: endpoint.local,
      env: gatewayEnv,
      labels: labels('gateway'),
      readyLog: /"event":"listening"/,
      startupTimeoutMs: startTimeoutMs,
    }).start();
  const names = { httpbin: `${network}-httpbin`, redis: `${network}-redis` };
  try {
    progress(`starting httpbin, Redis and ${nodeCount === 1 ? 'the gateway' : `${nodeCount} gateway nodes`} on Docker network ${network}…`);
    const created = await dockerode.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: labels('network') });
    // tcp-log's sink runs in this process, on the network's gateway address: the one address of this machine
    // the gateway container reaches (a Docker engine elsewhere would need the sink on its host: then none runs).
    const bridgeAddress = endpoint.local ? await networkGatewayAddress(created) : null;
    if (bridgeAddress) sink = await startTcpLogSink({ host: bridgeAddress });
    gatewayEnv = {
      KONG_PROXY_LISTEN: `0.0.0.0:${PROXY_PORT}`,
      // 0.0.0.0 inside the container, or the published port would lead nowhere.
      KONG_ADMIN_LISTEN: `0.0.0.0:${ADMIN_PORT}`,
      KONG_PROXY_ACCESS_LOG: 'off',
      KONG_DRAIN_TIMEOUT_MS: '2000',
      ...(sink ? { KONG_UPSTREAM_OVERRIDES: `${TCP_LOG_SINK}=${sink.host}:${sink.port}` } : {}),
      ...options.gatewayEnv,
    };
    const [httpbin, redisContainer, ...gateways] = await Promise.all([
      labContainer(testcontainers, {
        image: images.httpbin,
        name: names.httpbin,
        network,
        aliases: [WORKSHOP_HTTPBIN_ALIAS],
        ports: [HTTPBIN_PORT],
        loopbackOnly: endpoint.local,
        labels: labels('httpbin'),
        readyLog: /Listening at: /,
        startupTimeoutMs: startTimeoutMs,
      }).start(),
      labContainer(testcontainers, {
        image: images.redis,
        name: names.redis,
        network,
        aliases: [WORKSHOP_REDIS_ALIAS],
        ports: [REDIS_CONTAINER_PORT],
        loopbackOnly: endpoint.local,
        labels: labels('redis'),
        readyLog: /Redis container up/,
        startupTimeoutMs: startTimeoutMs,
      }).start(),
      ...nodeNames.map((name, index) =>
        // Behind the balancer the nodes' proxies take free ports; the balancer takes the proxy port.
        startGateway(name, { proxy: nodeCount === 1 ? (options.proxyPort ?? 0) : 0, admin: index === 0 ? (options.adminPort ?? 0) : 0 }),
      ),
    ]);

    const host = endpoint.local ? '127.0.0.1' : httpbin.getHost();
    const member = (container: StartedTestContainer, name: string): NodeContainer => ({
      container,
      name,
      node: { proxyUrl: `http://${host}:${container.getMappedPort(PROXY_PORT)}`, adminUrl: `http://${host}:${container.getMappedPort(ADMIN_PORT)}` },
    });
    let members = gateways.map((gateway, index) => member(gateway, nodeNames[index]));
    const nodes = members.map((entry) => entry.node);
    const httpbinUrl = `http://${host}:${httpbin.getMappedPort(HTTPBIN_PORT)}`;
    const redis = containerRedis(dockerode, redisContainer.getId(), { host, port: redisContainer.getMappedPort(REDIS_CONTAINER_PORT) }, removeAll);

    const [statuses, httpbinProblem] = await Promise.all([
      Promise.all(nodes.map((node) => waitForAdminApi(node.adminUrl, READY_TIMEOUT_MS))),
      waitForHttp(`${httpbinUrl}/get`, { target: 'the httpbin container', timeoutMs: READY_TIMEOUT_MS }).then(
        () => null,
        (error: unknown) => (error instanceof HttpWaitError ? error.message : Promise.reject(error)),
      ),
    ]);
    for (const status of statuses) if (!status.ready) throw new Error(status.problem);
    if (httpbinProblem) throw new Error(httpbinProblem);
    if (options.redis) {
      progress('starting redis-server…');
      await redis.ensure();
    }
    /** The balancer in front of the nodes once there are several (on the proxy port asked for at the start). */
    const route = async (port: number): Promise<void> => {
      const backends = members.map((entry) => ({ host, port: Number(new URL(entry.node.proxyUrl).port) }));
      if (balancer) balancer.setBackends(backends);
      else if (members.length > 1) balancer = await startTcpBalancer({ backends, port });
    };
    await route(options.proxyPort ?? 0);
    progress(`ready in ${seconds(startedAt)}`);

    let nextNodeNumber = nodeCount + 1;
    const described = (entry: NodeContainer): ConfigurableNode => ({ adminUrl: entry.node.adminUrl, name: `gateway container ${entry.name}` });
    const stopNode = (entry: NodeContainer): Promise<unknown> => entry.container.stop().catch(() => undefined);
    // As on the local runtime: new nodes take node 1's declaration before they join the balancer; removed ones
    // (the last ones) leave it first. The first scale-up puts the balancer on a free port, and it stays.
    const scale = serializedScale(async (count: number): Promise<void> => {
      checkNodeCount(count);
      if (closing) throw new ContainerStartError('this container environment was closed; it cannot be scaled');
      if (count > members.length) {
        const names = Array.from({ length: count - members.length }, () => nodeName(nextNodeNumber++));
        const settled = await Promise.allSettled(names.map((name) => startGateway(name, { proxy: 0, admin: 0 }).then((container) => member(container, name))));
        const added = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        try {
          const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
          if (failed) throw failed.reason;
          for (const entry of added) {
            const status = await waitForAdminApi(entry.node.adminUrl, READY_TIMEOUT_MS);
            if (!status.ready) throw new ContainerStartError(`gateway container ${entry.name} is up but ${status.problem}`);
          }
          await shareConfiguration(members.map(described), added.map(described));
        } catch (err) {
          await Promise.all(added.map(stopNode));
          throw err;
        }
        members = [...members, ...added];
        await route(0);
      } else if (count < members.length) {
        const removed = members.slice(count);
        members = members.slice(0, count);
        await route(0);
        await Promise.all(removed.map(stopNode));
      }
    });

    return {
      runtime: 'containers',
      get proxyUrl() {
        return balancer?.url ?? members[0].node.proxyUrl;
      },
      adminUrl: nodes[0].adminUrl,
      upstream: { kind: upstreamKind(images), url: httpbinUrl },
      get nodes() {
        return members.map((entry) => entry.node);
      },
      redis,
      environmentId,
      network,
      get containers() {
        return { gateway: gateways[0].getId(), nodes: members.map((entry) => entry.container.getId()), httpbin: httpbin.getId(), redis: redisContainer.getId() };
      },
      images: { gateway: images.gateway, httpbin: images.httpbin, redis: images.redis },
      tcpLogSink: sink,
      scale,
      async close() {
        try {
          await removeAll();
        } finally {
          unregister();
        }
      },
    };
  } catch (err) {
    const logs = await Promise.all([...nodeNames, names.httpbin, names.redis].map(async (name) => `--- ${name.slice(network.length + 1)} container log (last lines) ---\n${await logTail(dockerode, name)}`));
    return fail(
      new ContainerStartError(
        `the container environment did not start: ${(err as Error).message}. ` +
          'Try `npm run images` to see the images build, or --runtime local.\n' +
          logs.join('\n'),
      ),
    );
  }
}

/** The IPv4 gateway of a bridge network: the host's address on it. */
async function networkGatewayAddress(network: Dockerode.Network): Promise<string | null> {
  const info = (await network.inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
  return info.IPAM?.Config?.find((config) => config.Gateway && /^\d+\.\d+\.\d+\.\d+$/.test(config.Gateway))?.Gateway ?? null;
}

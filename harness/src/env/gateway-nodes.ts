// N gateway processes sharing one set of settings; more than one stand behind the per-connection
// round-robin TCP balancer (the Kubernetes Service's stand-in). What they share beyond that is what
// the declaration shares: with `policy: redis`, their rate-limit counters.
//
// The count can change while they run, as a Deployment's replicas do: a new node gets the running
// declaration from node 1 (GET /config, then POST /config, as a DB-less pod gets the control plane's)
// before it joins the balancer; a removed node leaves the balancer first, then stops.

import { ADMIN_READY_MS, AdminApi, waitForAdminApi } from '../http/index.js';
import { registerCleanup } from './cleanup.js';
import { EnvironmentStartError } from './errors.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';

/** As `nodes:` in lab.yaml and `--nodes`: enough for any workshop story on a small machine. */
export const MAX_GATEWAY_NODES = 9;

export interface GatewayNodesOptions {
  /** How many gateway processes (1 or more). */
  count: number;
  /** KONG_* variables for every node, on top of loopback listeners on free ports and no access log. */
  env?: Record<string, string>;
}

export interface GatewayNodes {
  /** The nodes now, node 1 first (node 1 is never removed). */
  readonly nodes: readonly GatewayProcess[];
  /** null while there has only ever been one node: its proxy is then reached directly. */
  readonly balancer: TcpBalancer | null;
  /** What DATA_PLANE_LB points at: the balancer's URL, or the one node's proxy. */
  readonly proxyUrl: string;
  /**
   * Changes the node count to `count`. New nodes hold node 1's declaration before they join; removed ones
   * (the last ones) leave the balancer, then stop. Once there is a balancer it stays, so proxyUrl keeps its value.
   */
  scale(count: number): Promise<void>;
  /** Stops the balancer, then every node. Idempotent. */
  close(): Promise<void>;
}

function url(raw: string): { host: string; port: number } {
  const parsed = new URL(raw);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

export function checkNodeCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_GATEWAY_NODES) {
    throw new EnvironmentStartError(`the number of gateway nodes must be a whole number from 1 to ${MAX_GATEWAY_NODES}, not ${count}`);
  }
}

export async function startGatewayNodes(options: GatewayNodesOptions): Promise<GatewayNodes> {
  checkNodeCount(options.count);
  const env = { KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0', KONG_PROXY_ACCESS_LOG: 'off', ...options.env };
  /** Every process launched and not yet stopped, whether it made it into `nodes` or not. */
  const live = new Set<GatewayProcess>();
  let nodes: GatewayProcess[] = [];
  let balancer: TcpBalancer | null = null;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await balancer?.close();
      } finally {
        await Promise.all([...live].map((node) => node.stop()));
      }
    })();
    return closing;
  };
  const unregister = registerCleanup(close, () => [...live].map((node) => node.pid));

  const stop = async (node: GatewayProcess): Promise<void> => {
    await node.stop();
    live.delete(node);
  };

  /** `count` more processes, ready, in launch order; on any failure the ones of this batch are stopped. */
  const launch = async (count: number): Promise<GatewayProcess[]> => {
    const settled = await Promise.allSettled(
      Array.from({ length: count }, () =>
        startGatewayProcess({ env }).then((node) => {
          live.add(node);
          return node;
        }),
      ),
    );
    const batch = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      for (const node of batch) {
        const status = await waitForAdminApi(node.adminUrl, ADMIN_READY_MS);
        if (!status.ready) {
          throw new EnvironmentStartError(`gateway node (pid ${node.pid}) is listening but ${status.problem}. Run \`npm run gateway\` and try the Admin API by hand.`, node.stderrTail());
        }
      }
      return batch;
    } catch (err) {
      await Promise.all(batch.map(stop));
      throw err;
    }
  };

  const route = async (): Promise<void> => {
    const backends = nodes.map((node) => url(node.proxyUrl));
    if (balancer) balancer.setBackends(backends);
    else if (nodes.length > 1) balancer = await startTcpBalancer({ backends });
  };

  const scale = serializedScale(async (count: number): Promise<void> => {
    checkNodeCount(count);
    if (closing) throw new EnvironmentStartError('these gateway nodes were stopped; they cannot be scaled');
    if (count > nodes.length) {
      const added = await launch(count - nodes.length);
      try {
        await shareConfiguration(nodes.map(describedProcess), added.map(describedProcess));
      } catch (err) {
        await Promise.all(added.map(stop));
        throw err;
      }
      nodes = [...nodes, ...added];
      await route();
    } else if (count < nodes.length) {
      const removed = nodes.slice(count);
      nodes = nodes.slice(0, count);
      await route();
      await Promise.all(removed.map(stop));
    }
  });

  try {
    nodes = await launch(options.count);
    await route();
    return {
      get nodes() {
        return nodes;
      },
      get balancer() {
        return balancer;
      },
      get proxyUrl() {
        return balancer ? balancer.url : nodes[0].proxyUrl;
      },
      scale,
      close: async () => {
        await close();
        unregister();
      },
    };
  } catch (err) {
    await close().catch(() => undefined);
    unregister();
    throw err;
  }
}

/**
 * `change` run one call at a time, in the order asked: a scale waits for the one before it. A failed change
 * leaves the nodes as they were; the next one starts from there.
 */
export function serializedScale(change: (count: number) => Promise<void>): (count: number) => Promise<void> {
  let scaling: Promise<void> = Promise.resolve();
  return (count) => {
    const run = scaling.then(() => change(count));
    scaling = run.catch(() => undefined);
    return run;
  };
}

/** A node as shareConfiguration sees it: where its Admin API is, and what to call it in an error. */
export interface ConfigurableNode {
  adminUrl: string;
  /** `gateway node (pid 123)`, `gateway container kong-labkit-…-gateway-2`. */
  name: string;
}

function describedProcess(node: GatewayProcess): ConfigurableNode {
  return { adminUrl: node.adminUrl, name: `gateway node (pid ${node.pid})` };
}

/**
 * Gives the `added` nodes the declaration node 1 runs, as GET /config exports it (`{"config": "<yaml>"}`, which
 * POST /config takes as it is). The gateway's configuration_hash is the md5 of the text it was given, so the
 * export gets another hash than the declaration node 1 was synced with; the running nodes get the export too
 * (the same entities, ids included: counters and cached answers stay), and then every node reports one hash.
 */
export async function shareConfiguration(running: readonly ConfigurableNode[], added: readonly ConfigurableNode[]): Promise<void> {
  const api = (node: ConfigurableNode): AdminApi => new AdminApi(node.adminUrl);
  const exported = await api(running[0]).readConfig();
  const give = async (node: ConfigurableNode): Promise<void> => {
    const posted = await api(node).postConfig({ config: exported });
    if (!posted.ok) {
      throw new EnvironmentStartError(`${node.name} refused node 1's exported declaration (POST ${node.adminUrl}/config answered ${posted.status})`, JSON.stringify(posted.body).slice(0, 500));
    }
  };
  const hashOf = async (node: ConfigurableNode): Promise<string> => (await api(node).status()).configurationHash;
  for (const node of added) await give(node);
  const expected = await hashOf(added[0]);
  if ((await hashOf(running[0])) !== expected) for (const node of running) await give(node);
  for (const node of [...running, ...added]) {
    const got = await hashOf(node);
    if (got !== expected) throw new EnvironmentStartError(`${node.name} holds configuration ${got || '(none)'} after the scale, the others ${expected}`);
  }
}

// N gateway processes sharing one set of settings, behind the per-connection round-robin TCP
// balancer (the Kubernetes Service's stand-in). What they share beyond that is what the
// declaration shares: with `policy: redis`, their rate-limit counters.

import { ADMIN_READY_MS, waitForAdminApi } from '../http/index.js';
import { registerCleanup } from './cleanup.js';
import { EnvironmentStartError } from './errors.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';


export interface GatewayNodesOptions {
  /** How many gateway processes (1 or more). */
  count: number;
  /** KONG_* variables for every node, on top of loopback listeners on free ports and no access log. */
  env?: Record<string, string>;
}

export interface GatewayNodes {
  readonly nodes: readonly GatewayProcess[];
  readonly balancer: TcpBalancer;
  /** The balancer's URL: what DATA_PLANE_LB points at. */
  readonly proxyUrl: string;
  /** Stops the balancer, then every node. Idempotent. */
  close(): Promise<void>;
}

function url(raw: string): { host: string; port: number } {
  const parsed = new URL(raw);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

export async function startGatewayNodes(options: GatewayNodesOptions): Promise<GatewayNodes> {
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new EnvironmentStartError(`the number of gateway nodes must be a whole number of at least 1, not ${options.count}`);
  }
  const env = { KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0', KONG_PROXY_ACCESS_LOG: 'off', ...options.env };
  const started: GatewayProcess[] = [];
  let balancer: TcpBalancer | null = null;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await balancer?.close();
      } finally {
        await Promise.all(started.map((node) => node.stop()));
      }
    })();
    return closing;
  };
  const unregister = registerCleanup(close, () => started.map((node) => node.pid));

  try {
    const launches = Array.from({ length: options.count }, () =>
      startGatewayProcess({ env }).then((node) => {
        started.push(node);
        return node;
      }),
    );
    const settled = await Promise.allSettled(launches);
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    // `started` fills in the order the processes came up; the nodes keep launch order.
    const nodes = settled.map((result) => (result as PromiseFulfilledResult<GatewayProcess>).value);
    for (const node of nodes) {
      const status = await waitForAdminApi(node.adminUrl, ADMIN_READY_MS);
      if (!status.ready) throw new EnvironmentStartError(`gateway node (pid ${node.pid}): ${status.problem}`, node.stderrTail());
    }
    balancer = await startTcpBalancer({ backends: nodes.map((node) => url(node.proxyUrl)) });
    const running = balancer;
    return {
      nodes,
      balancer: running,
      proxyUrl: running.url,
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

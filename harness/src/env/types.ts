// What the runner and the labs see of a gateway to work against, wherever it runs.

import type { EnvironmentRedis } from '../redis/on-demand.js';
import type { TcpLogReader } from '../sink/tcp-log-sink.js';

/** The name and port lab declarations give tcp-log; each environment points it at its own sink. */
export const TCP_LOG_SINK = 'tcp-log.kong.svc.cluster.local:9000';

export type RuntimeName = 'local' | 'containers' | 'external';

export type UpstreamChoice = 'auto' | 'debian-httpbin' | 'embedded-httpbin';

export interface LabEnvironment {
  readonly runtime: RuntimeName;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly proxyUrl: string;
  readonly adminUrl: string;
  /** null for external */
  readonly upstream: { kind: string; url: string } | null;
  /**
   * The TCP sink tcp-log declarations reach as `tcp-log.kong.svc.cluster.local:9000` (see TCP_LOG_SINK);
   * null where the harness cannot run one next to the gateway.
   */
  readonly tcpLogSink?: TcpLogReader | null;
  /**
   * Every gateway node behind proxyUrl (the balancer when more than one), node 1 first; adminUrl is
   * node 1's. A sync applies the declaration to each. Absent: one node, the one adminUrl names.
   */
  readonly nodes?: readonly GatewayNode[];
  /** The environment's Redis (for `policy: redis`), started with it or on demand; null/absent when it has none. */
  readonly redis?: EnvironmentRedis | null;
  /**
   * Changes the number of gateway nodes while it runs (a data plane's `replicas: N`): new nodes get the running
   * declaration and join the balancer, removed ones leave it and stop. Absent where the harness cannot (an
   * external gateway). proxyUrl and nodes are read afresh after it.
   */
  scale?(nodes: number): Promise<void>;
  /** Stops what this environment started (nothing for external). Idempotent. */
  close(): Promise<void>;
}

export interface GatewayNode {
  proxyUrl: string;
  adminUrl: string;
  pid?: number;
}

/** A local environment also tells which gateway process it started (tests check it is gone after close). */
export interface LocalLabEnvironment extends LabEnvironment {
  readonly runtime: 'local';
  readonly gatewayPid: number;
  /** Its Redis (started when asked, else on demand; null without redis-server); stop()/start() it to show an outage. */
  readonly redis: EnvironmentRedis | null;
  scale(nodes: number): Promise<void>;
}

export interface LocalEnvironmentOptions {
  upstream?: UpstreamChoice;
  onProgress?: (message: string) => void;
  /** Extra KONG_* variables for the gateway process; they win over the ones the harness sets. */
  gatewayEnv?: Record<string, string>;
  /**
   * Also start Debian's redis-server (free loopback port, no persistence) and reach the workshop's
   * `redis-stack.redis.svc.cluster.local:6379` there, for `policy: redis` declarations.
   */
  redis?: boolean;
  /** Gateway nodes behind a per-connection round-robin balancer (default 1: no balancer). */
  nodes?: number;
}

export interface ExternalEnvironmentOptions {
  proxyUrl: string;
  adminUrl: string;
}

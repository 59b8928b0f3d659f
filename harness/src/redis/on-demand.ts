// An environment's Redis, on a loopback port chosen when the environment starts (so the gateway
// nodes can be told at once where `redis-stack.redis.svc.cluster.local:6379` is), started then or
// only when a synced declaration first needs it.

import { freePort } from '../process/free-port.js';
import { redisServerAvailability, startRedisServer, type RunningRedis } from './redis-server.js';

export interface EnvironmentRedis {
  readonly host: string;
  readonly port: number;
  /** Whether a redis-server answers there now. */
  readonly running: boolean;
  /** Starts it unless it runs: what a sync calls before applying a `policy: redis` declaration. */
  ensure(): Promise<void>;
  /** An outage: kills it (its keys are gone). */
  stop(): Promise<void>;
  /** Brings it back on the same port, empty. */
  start(): Promise<void>;
  /** Stops it for good. Idempotent. */
  close(): Promise<void>;
}

/** null when redis-server is not installed (then nothing can start one on demand). */
export async function reserveRedis(options: { startNow: boolean; host?: string }): Promise<EnvironmentRedis | null> {
  if (!redisServerAvailability().available) return null;
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  let server: RunningRedis | null = null;
  let closed = false;
  const start = async (): Promise<void> => {
    if (closed) throw new Error('this environment was closed; its Redis cannot start again');
    if (server) await server.start();
    else server = await startRedisServer({ host, port });
  };
  const redis: EnvironmentRedis = {
    host,
    port,
    get running() {
      return server?.running ?? false;
    },
    ensure: start,
    start,
    async stop() {
      await server?.stop();
    },
    async close() {
      closed = true;
      await server?.close();
    },
  };
  if (options.startNow) await start();
  return redis;
}

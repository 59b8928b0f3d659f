// What some configurations need besides the upstream: the tcp-log sink in a process of its own and
// a real redis-server, both beside the load on the load core and stopped with the bench's children.

import { join } from 'node:path';
import { redisServerAvailability, startRedisServer } from '../redis/index.js';
import type { RedisServerAvailability } from '../redis/redis-server.js';
import { repinProcess, trackResource, type BenchChild } from './child-processes.js';
import { BenchSetupError } from './errors.js';
import type { LoopbackAddress } from './gateway-config.js';
import { PROCESSES_DIR } from './paths.js';
import { LOAD_CPU } from './pinning.js';
import { nodeChild, READY_TIMEOUT_MS, type ServerContext } from './servers.js';

/** The tcp-log configuration's sink (processes/tcp-log-sink.ts), on the load core beside the upstream. */
export interface TcpLogSinkUnderBench extends LoopbackAddress {
  readUrl: string;
  child: BenchChild;
  /** After the sink stopped: lines it received over the whole run (null when it did not say). */
  linesReceived(): number | null;
  /** After the sink stopped: connections the gateway opened to it (null when it did not say). */
  connections(): number | null;
}

interface SinkEvent {
  event: string;
  host?: string;
  port?: number;
  read_url?: string;
  lines?: number;
  connections?: number;
}

function sinkEvents(child: BenchChild): SinkEvent[] {
  return child
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as SinkEvent);
}

export async function startTcpLogSinkProcess(ctx: ServerContext): Promise<TcpLogSinkUnderBench> {
  const child = nodeChild(ctx, 'tcp-log sink', join(PROCESSES_DIR, 'tcp-log-sink.ts'), {}, [], { cpu: LOAD_CPU, stdout: 'collect' });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const listening = sinkEvents(child).find((event) => event.event === 'listening');
    if (listening?.port !== undefined && listening.host !== undefined && listening.read_url !== undefined) {
      return {
        host: listening.host,
        port: listening.port,
        readUrl: listening.read_url,
        child,
        linesReceived: () => sinkEvents(child).find((event) => event.event === 'closed')?.lines ?? null,
        connections: () => sinkEvents(child).find((event) => event.event === 'closed')?.connections ?? null,
      };
    }
    if (!child.isRunning() || Date.now() > deadline) {
      await child.stop();
      throw new BenchSetupError(`the tcp-log sink did not start within ${READY_TIMEOUT_MS / 1000} s`, child.stderrTail());
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A real redis-server (harness/src/redis) on a free loopback port, beside the load on the load core,
 * closed with the bench's children. Where redis-server is missing: why, instead of a server.
 */
export async function startBenchRedis(
  ctx: ServerContext,
  availability: RedisServerAvailability = redisServerAvailability(),
): Promise<{ address: LoopbackAddress } | { unavailable: string }> {
  if (!availability.available) return { unavailable: availability.reason };
  const redis = await startRedisServer({ host: '127.0.0.1' });
  trackResource({ close: () => redis.close(), pid: () => redis.pid });
  if (redis.pid !== null) await repinProcess(ctx.pinning, redis.pid, String(LOAD_CPU));
  return { address: { host: redis.host, port: redis.port } };
}

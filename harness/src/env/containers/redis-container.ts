// The environment's Redis in Docker. Its container runs from the environment's start (PID 1 only
// sleeps) with the workshop's network alias, so redis-stack.redis.svc.cluster.local always resolves
// on the network, to the same address, and Docker's DNS never forwards that name off the machine.
// redis-server itself runs inside it only when asked or on demand (before a `policy: redis`
// declaration is synced), started and killed with `docker exec`: a killed one refuses connections
// at once, as the local runtime's killed redis-server does, and comes back empty on the same port.

import type Dockerode from 'dockerode';
import { WORKSHOP_REDIS_HOST, WORKSHOP_REDIS_PORT } from '../../constants.js';
import { answersPing, redisServerArgs } from '../../redis/redis-server.js';
import type { EnvironmentRedis } from '../../redis/on-demand.js';
import { ContainerStartError } from './errors.js';

/** The workshop's Kubernetes service name for Redis, the container's network alias; its port inside the network. */
export const WORKSHOP_REDIS_ALIAS = WORKSHOP_REDIS_HOST;
export const REDIS_CONTAINER_PORT = WORKSHOP_REDIS_PORT;
const PIDFILE = '/tmp/redis-server.pid';
const READY_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
/** `sh` here is the image's PID 1's stdout, so `docker logs` shows redis-server's lines. */
const TO_CONTAINER_LOG = 'exec "$@" >/proc/1/fd/1 2>&1';
/** Exit 3: no redis-server ran. */
const KILL_SCRIPT = `pid=$(cat ${PIDFILE} 2>/dev/null) || exit 3; rm -f ${PIDFILE}; kill -KILL "$pid" 2>/dev/null || exit 3`;

export interface RedisAddress {
  /** Where this machine reaches the published port. */
  host: string;
  port: number;
}

/** redis-server's command line in the container: the local runtime's (no persistence), on every interface of it. */
export function containerRedisCommand(): string[] {
  // Protected mode refuses clients from other addresses when there is no password: the gateways are such clients.
  return ['redis-server', ...redisServerArgs('0.0.0.0', REDIS_CONTAINER_PORT), '--protected-mode', 'no', '--pidfile', PIDFILE];
}

async function execIn(dockerode: Dockerode, containerId: string, cmd: string[], detach: boolean): Promise<number | null> {
  const exec = await dockerode.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: !detach, AttachStderr: !detach });
  // The API answers on a hijacked connection that stays open until destroyed, keeping the process alive.
  const stream = (await exec.start(detach ? { Detach: true } : { hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy?: () => void };
  try {
    if (detach) return null;
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
      stream.resume();
    });
    return (await exec.inspect()).ExitCode ?? null;
  } finally {
    stream?.destroy?.();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether redis-server answers PING at the published port now. */
export function containerRedisAnswers(address: RedisAddress): Promise<boolean> {
  return answersPing(address.host, address.port, undefined, false);
}

/** Starts redis-server in the container unless one answers; returns whether it started one. */
export async function startRedisInContainer(dockerode: Dockerode, containerId: string, address: RedisAddress): Promise<boolean> {
  if (await containerRedisAnswers(address)) return false;
  await execIn(dockerode, containerId, ['sh', '-c', TO_CONTAINER_LOG, 'sh', ...containerRedisCommand()], true);
  if (await waitFor(() => containerRedisAnswers(address), READY_TIMEOUT_MS)) return true;
  throw new ContainerStartError(
    `redis-server did not answer PING in container ${containerId.slice(0, 12)} (published at ${address.host}:${address.port}) ` +
      `within ${READY_TIMEOUT_MS / 1000} s; see docker logs ${containerId.slice(0, 12)}`,
  );
}

/** Kills redis-server in the container, as an outage would (its keys are gone); returns whether one ran. */
export async function stopRedisInContainer(dockerode: Dockerode, containerId: string, address: RedisAddress): Promise<boolean> {
  const exitCode = await execIn(dockerode, containerId, ['sh', '-c', KILL_SCRIPT], false);
  // SIGKILL is immediate, but the port closes when the kernel has reaped it.
  await waitFor(async () => !(await containerRedisAnswers(address)), 2_000);
  return exitCode === 0;
}

/** The Redis container as the environment's Redis. close() is the environment's: it removes the container. */
export function containerRedis(dockerode: Dockerode, containerId: string, address: RedisAddress, close: () => Promise<void>): EnvironmentRedis {
  let running = false;
  // A sync and a lab may both ask at once: one start.
  let starting: Promise<void> | null = null;
  const start = (): Promise<void> => {
    starting ??= startRedisInContainer(dockerode, containerId, address)
      .then(() => {
        running = true;
      })
      .finally(() => {
        starting = null;
      });
    return starting;
  };
  return {
    host: address.host,
    port: address.port,
    get running() {
      return running;
    },
    ensure: start,
    start,
    async stop() {
      await stopRedisInContainer(dockerode, containerId, address);
      running = false;
    },
    async close() {
      running = false;
      await close();
    },
  };
}

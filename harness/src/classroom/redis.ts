// The Redis of an environment of `npm run up`. Local runtime: Debian's redis-server, detached like the
// gateway nodes (it outlives the command), on the loopback port chosen at `up` (the nodes were told
// then where redis-stack.redis.svc.cluster.local:6379 is), recorded in the state file so that `down`
// stops it. Containers runtime: redis-server inside the environment's Redis container (the network
// alias is the workshop's name), reached here on its published port; `down` removes the container.
// Either way started with the environment (--redis) or on demand, and stopped and started again by
// `npm run redis` for the outage demo.

import { answersPing, REDIS_SERVER, redisServerArgs } from '../redis/redis-server.js';
import { connectDocker } from '../env/containers/connect-docker.js';
import { containerRedisAnswers, startRedisInContainer, stopRedisInContainer } from '../env/containers/redis-container.js';
import { ClassroomStartError } from './errors.js';
import { logTail } from './log-file.js';
import { shownPath, type StatePaths } from './paths.js';
import { recordedProcessState, spawnDetached, stopRecordedProcess, type RecordedProcess } from './processes.js';
import { readEnvironmentRecord, writeEnvironmentRecord, type EnvironmentRecord } from './state.js';

const READY_MS = 10_000;
/** Kong's rate-limiting keys (`ratelimit:<route>:<service>:<identifier>:<period_date>:<period>`): ours to delete. */
export const GATEWAY_KEY_PATTERN = 'ratelimit:*';

export interface RecordedRedis {
  host: string;
  port: number;
}

export function redisProcessOf(record: EnvironmentRecord): RecordedProcess | undefined {
  return record.processes.find((recorded) => recorded.role === 'redis' && recordedProcessState(recorded) === 'running');
}

/** The Redis container of a recorded container environment (absent: a local redis-server process, or none). */
function redisContainerOf(record: EnvironmentRecord): string | undefined {
  return record.runtime === 'containers' ? record.containers?.containers.redis : undefined;
}

/** Whether the recorded environment's Redis runs now (a process of ours, or redis-server answering in its container). */
export async function classroomRedisRunning(record: EnvironmentRecord): Promise<boolean> {
  if (!record.redis) return false;
  if (redisContainerOf(record)) return containerRedisAnswers(record.redis);
  return redisProcessOf(record) !== undefined;
}

/** Spawns redis-server detached on `redis.port` and waits for its PONG. */
export async function spawnDetachedRedis(redis: RecordedRedis, paths: StatePaths): Promise<RecordedProcess> {
  const started = spawnDetached({
    role: 'redis',
    command: REDIS_SERVER,
    args: redisServerArgs(redis.host, redis.port),
    // redis-server retitles itself `/usr/bin/redis-server host:port`; the name stays.
    marker: 'redis-server',
    log: paths.log('redis'),
    stopSignal: 'SIGTERM',
    cwd: '/',
    env: process.env,
  });
  let exited = false;
  void started.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + READY_MS;
  while (!exited && Date.now() < deadline) {
    if (await answersPing(redis.host, redis.port, undefined, false)) {
      started.release();
      return started.recorded;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopRecordedProcess(started.recorded);
  throw new ClassroomStartError(
    exited ? `redis-server exited before answering on ${redis.host}:${redis.port} (is the port taken?).` : `redis-server did not answer PING within ${READY_MS / 1000} s and was stopped.`,
    logTail(paths.log('redis')),
    shownPath(paths.log('redis')),
  );
}

/** Starts the recorded environment's Redis unless it runs; records the process. Returns whether it started one. */
export async function ensureClassroomRedis(paths: StatePaths): Promise<boolean> {
  const record = readEnvironmentRecord(paths);
  if (!record?.redis) throw new ClassroomStartError('this environment has no Redis (redis-server was not installed when npm run up started it)');
  const container = redisContainerOf(record);
  if (container) return startRedisInContainer((await connectDocker()).dockerode, container, record.redis);
  if (redisProcessOf(record)) return false;
  const recorded = await spawnDetachedRedis(record.redis, paths);
  const now = readEnvironmentRecord(paths) ?? record;
  writeEnvironmentRecord({ ...now, processes: [...now.processes.filter((p) => p.role !== 'redis'), recorded] }, paths);
  return true;
}

/** Stops the recorded environment's Redis (an outage: its counters are gone); returns whether one ran. */
export async function stopClassroomRedis(paths: StatePaths): Promise<boolean> {
  const record = readEnvironmentRecord(paths);
  const container = record?.redis && redisContainerOf(record);
  if (container) return stopRedisInContainer((await connectDocker()).dockerode, container, record.redis!);
  const running = record && redisProcessOf(record);
  if (!record || !running) return false;
  await stopRecordedProcess(running);
  writeEnvironmentRecord({ ...record, processes: record.processes.filter((p) => p !== running) }, paths);
  return true;
}

/** Deletes the gateway's rate-limit keys (SCAN + DEL on Kong's prefix, never FLUSHALL); returns how many. */
export async function clearGatewayKeys(redis: RecordedRedis): Promise<number> {
  // Loaded when a Redis runs: status, reset and goto load this module on every run, and ioredis is a large one.
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', GATEWAY_KEY_PATTERN, 'COUNT', 1000);
      if (keys.length > 0) deleted += await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}

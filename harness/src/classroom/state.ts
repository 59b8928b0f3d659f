// The record of the environment `npm run up` started (`.labkit/environment.json`): what runs, where,
// and which lab was last applied to it. Other commands use it through readRunningEnvironment().

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { AdminApi } from '../http/index.js';
import type { LabEnvironment } from '../env/types.js';
import { statePaths, type StatePaths } from './paths.js';
import type { RecordedProcess } from './processes.js';
import type { EnvironmentRedis } from '../redis/on-demand.js';
import { ensureClassroomRedis, redisProcessOf, stopClassroomRedis } from './redis.js';
import { LabkitError } from '../errors/labkit-error.js';

export type ClassroomRuntime = 'local' | 'containers';

/** What the gateway's configuration was made from, when a command of ours last set it. */
export interface AppliedConfiguration {
  /** The lab's folder name (`05-rate-limits`), or null for the empty configuration of `npm run reset`. */
  lab: string | null;
  /** `configuration_hash` of GET /status right after; a different hash now means someone changed it since. */
  configurationHash: string;
  /** ISO time. */
  at: string;
}

export interface ContainerRecord {
  environmentId: string;
  network: string;
  /** gateway: node 1's; nodes: every node's, node 1 first (absent in records of one node written before nodes existed). */
  containers: { gateway: string; httpbin: string; nodes?: string[]; redis?: string };
  images: { gateway: string; httpbin: string; redis?: string };
}

export interface EnvironmentRecord {
  format: 1;
  runtime: ClassroomRuntime;
  /** ISO time. */
  startedAt: string;
  proxyUrl: string;
  adminUrl: string;
  upstream: { kind: string; url: string };
  /** local: httpbin and the gateway; containers: the keeper process that owns the containers. */
  processes: RecordedProcess[];
  containers?: ContainerRecord;
  /** `--nodes N` (N > 1): every gateway node, node 1 first (adminUrl is its); proxyUrl is then the balancer's. */
  nodes?: Array<{ proxyUrl: string; adminUrl: string }>;
  /**
   * Where its Redis is reached from here. Local: the nodes reach redis-stack.redis.svc.cluster.local:6379
   * there, and a `redis` process in `processes` runs it; absent when redis-server was not installed at
   * `up`. Containers: the Redis container's published port (containers.containers.redis).
   */
  redis?: { host: string; port: number };
  applied: AppliedConfiguration | null;
  /** Things said at start-up worth repeating in `status` (e.g. a port that was taken). */
  notes: string[];
  /** The command that owns it when not `npm run up`: `npm run lab 5 -- --keep`. */
  startedBy?: string;
}

/** The state file exists but cannot be used; the message says what to do. */
export class StateFileError extends LabkitError {
  constructor(message: string) {
    super('STATE_FILE_INVALID', { problem: message });
    this.name = 'StateFileError';
  }
}

function isRecord(value: unknown): value is EnvironmentRecord {
  const record = value as Partial<EnvironmentRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.format === 1 &&
    (record.runtime === 'local' || record.runtime === 'containers') &&
    typeof record.proxyUrl === 'string' &&
    typeof record.adminUrl === 'string' &&
    Array.isArray(record.processes)
  );
}

/** The recorded environment, or null when there is none. Throws StateFileError for an unreadable file. */
export function readEnvironmentRecord(paths: StatePaths = statePaths()): EnvironmentRecord | null {
  let text: string;
  try {
    text = readFileSync(paths.stateFile, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw new StateFileError(`cannot read ${paths.stateFile}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new StateFileError(
      `${paths.stateFile} is not an environment record this lab kit wrote. ` +
        'Stop what it started by hand if anything (see the logs beside it), then delete the file.',
    );
  }
  return parsed;
}

/** Written whole to a temporary file and renamed, so a reader never sees half a record. */
/** The recorded environment for a command: a broken state file is explained on `stderr` and gives `'broken'`. */
export function readRecordForCommand(
  paths: StatePaths,
  stderr: { write(text: string): unknown },
): EnvironmentRecord | null | 'broken' {
  try {
    return readEnvironmentRecord(paths);
  } catch (err) {
    if (!(err instanceof StateFileError)) throw err;
    stderr.write(`${err.message}\n`);
    return 'broken';
  }
}

export function writeEnvironmentRecord(record: EnvironmentRecord, paths: StatePaths = statePaths()): void {
  mkdirSync(paths.dir, { recursive: true });
  const temporary = `${paths.stateFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, paths.stateFile);
}

export function removeEnvironmentRecord(paths: StatePaths = statePaths()): void {
  rmSync(paths.stateFile, { force: true });
}

/** Environments handed out by readRunningEnvironment. */
const borrowed = new WeakSet<LabEnvironment>();

/**
 * The environment `npm run up` started, as a LabEnvironment whose close() leaves it running; null
 * when none is recorded or its Admin API does not answer (then a command starts its own, as before).
 */
export async function readRunningEnvironment(paths: StatePaths = statePaths()): Promise<LabEnvironment | null> {
  let record: EnvironmentRecord | null;
  try {
    record = readEnvironmentRecord(paths);
  } catch {
    return null;
  }
  if (!record) return null;
  if (!(await new AdminApi(record.adminUrl).health()).reachable) return null;
  const env: LabEnvironment = {
    runtime: record.runtime,
    proxyUrl: record.proxyUrl,
    adminUrl: record.adminUrl,
    upstream: record.upstream,
    nodes: record.nodes,
    redis: record.redis ? classroomRedis(record.redis, paths) : null,
    async close() {
      // `npm run down` stops it; a lab only borrows it.
    },
  };
  borrowed.add(env);
  return env;
}

/** Whether `env` is the environment of `npm run up` (close() leaves it running), as readRunningEnvironment returned it. */
export function isRunningEnvironment(env: object): boolean {
  return borrowed.has(env as LabEnvironment);
}

async function currentConfigurationHash(adminUrl: string): Promise<string> {
  const health = await new AdminApi(adminUrl).health();
  return health.reachable ? health.configurationHash : '';
}

/**
 * Notes that `lab` (its folder name, or null for the empty configuration) is what the recorded
 * environment now runs. Without `configurationHash` it is read from the gateway now. With `adminUrl`,
 * nothing is recorded unless it is the recorded environment's, so any command may call this after
 * a sync. Returns whether it recorded.
 */
export async function recordAppliedLab(
  lab: string | null,
  configurationHash?: string,
  adminUrl?: string,
  paths: StatePaths = statePaths(),
): Promise<boolean> {
  let record: EnvironmentRecord | null;
  try {
    record = readEnvironmentRecord(paths);
  } catch {
    return false;
  }
  if (!record) return false;
  if (adminUrl !== undefined && adminUrl.replace(/\/+$/, '') !== record.adminUrl) return false;
  const hash = configurationHash ?? (await currentConfigurationHash(record.adminUrl));
  writeEnvironmentRecord({ ...record, applied: { lab, configurationHash: hash, at: new Date().toISOString() } }, paths);
  return true;
}

/** The recorded Redis as a lab sees it: started on demand (recorded, so that `down` stops it). */
function classroomRedis(redis: { host: string; port: number }, paths: StatePaths): EnvironmentRedis {
  const isRunning = (): boolean => {
    const record = readEnvironmentRecord(paths);
    return record !== null && redisProcessOf(record) !== undefined;
  };
  const start = async (): Promise<void> => {
    await ensureClassroomRedis(paths);
  };
  return {
    host: redis.host,
    port: redis.port,
    get running() {
      return isRunning();
    },
    ensure: start,
    start,
    stop: async () => {
      await stopClassroomRedis(paths);
    },
    // `npm run down` stops it.
    close: async () => undefined,
  };
}

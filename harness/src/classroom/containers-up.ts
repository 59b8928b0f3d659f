// `npm run up --runtime containers`: the container environment (N gateway nodes, the balancer in
// front of them, httpbin, a Redis), owned by a detached keeper process (container-keeper-main.ts)
// so that it outlives the command; image builds are relayed as progress.

import { registerCleanup } from '../env/cleanup.js';
import { ClassroomStartError } from './errors.js';
import { jsonEvent, logTail, waitForLogLine } from './log-file.js';
import { CONTAINER_KEEPER_MAIN, REPO_ROOT, shownPath, type StatePaths } from './paths.js';
import { spawnDetached, stopRecordedProcess } from './processes.js';
import type { EnvironmentRecord } from './state.js';

/** Image builds on a fresh machine take minutes; a keeper silent for this long is stuck. */
const KEEPER_START_MS = 20 * 60_000;
/** Removing the containers and the network: a few seconds; past this the keeper is killed. */
export const KEEPER_STOP_MS = 30_000;

interface ReadyEvent {
  event: 'ready';
  proxyUrl: string;
  adminUrl: string;
  upstream: { kind: string; url: string };
  nodes: Array<{ proxyUrl: string; adminUrl: string }>;
  redis: { host: string; port: number };
  environmentId: string;
  network: string;
  containers: { gateway: string; httpbin: string; nodes: string[]; redis: string };
  images: { gateway: string; httpbin: string; redis: string };
}

type KeeperOutcome = { kind: 'ready'; ready: ReadyEvent } | { kind: 'failed'; message: string };

export interface ContainerUpOptions {
  /** Host ports for the proxy and the Admin API (0: free ones). */
  proxyPort: number;
  adminPort: number;
  /** Gateway nodes (default 1); more than one go behind a per-connection balancer on proxyPort. */
  nodes?: number;
  /** Start redis-server now (otherwise it starts on demand, when a `policy: redis` declaration is synced). */
  redis?: boolean;
  paths: StatePaths;
  onProgress: (message: string) => void;
  /** Said at start-up, repeated by status (a taken port that --any-port replaced). */
  notes?: string[];
}

export async function startContainerClassroomEnvironment(options: ContainerUpOptions): Promise<EnvironmentRecord> {
  const log = options.paths.log('keeper');
  const keeper = spawnDetached({
    role: 'keeper',
    command: process.execPath,
    args: [
      '--import', 'tsx', CONTAINER_KEEPER_MAIN,
      '--proxy-port', String(options.proxyPort),
      '--admin-port', String(options.adminPort),
      '--nodes', String(options.nodes ?? 1),
      ...(options.redis ? ['--redis'] : []),
    ],
    marker: CONTAINER_KEEPER_MAIN,
    log,
    stopSignal: 'SIGTERM',
    cwd: REPO_ROOT,
    env: process.env,
  });
  const stop = async (): Promise<void> => {
    await stopRecordedProcess(keeper.recorded, KEEPER_STOP_MS);
  };
  const unregister = registerCleanup(stop, () => [keeper.recorded.pid]);
  try {
    const outcome = await waitForLogLine<KeeperOutcome>(
      log,
      0,
      (line) => {
        const ready = jsonEvent<ReadyEvent>(line, 'ready');
        if (ready) return { kind: 'ready', ready };
        const failed = jsonEvent<{ event: string; message: string }>(line, 'failed');
        return failed ? { kind: 'failed', message: failed.message } : undefined;
      },
      {
        exited: keeper.exited,
        timeoutMs: KEEPER_START_MS,
        onLine: (line) => {
          const progress = jsonEvent<{ event: string; message: string }>(line, 'progress');
          if (progress) options.onProgress(progress.message);
        },
      },
    );
    if (outcome.kind !== 'found' || outcome.value.kind === 'failed') {
      await stop();
      const why =
        outcome.kind === 'found' && outcome.value.kind === 'failed'
          ? outcome.value.message
          : outcome.kind === 'exited'
            ? `the keeper process exited before the containers were ready (see ${shownPath(log)})`
            : `the containers were not ready within ${KEEPER_START_MS / 60_000} minutes`;
      throw new ClassroomStartError(`${why}\nOr use the local runtime: npm run up -- --runtime local`, outcome.kind === 'found' ? '' : logTail(log), shownPath(log));
    }
    const ready = outcome.value.ready;
    keeper.release();
    return {
      format: 1,
      runtime: 'containers',
      startedAt: new Date().toISOString(),
      proxyUrl: ready.proxyUrl,
      adminUrl: ready.adminUrl,
      upstream: ready.upstream,
      processes: [keeper.recorded],
      ...(ready.nodes.length > 1 ? { nodes: ready.nodes } : {}),
      redis: ready.redis,
      containers: { environmentId: ready.environmentId, network: ready.network, containers: ready.containers, images: ready.images },
      applied: null,
      notes: options.notes ?? [],
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  } finally {
    unregister();
  }
}

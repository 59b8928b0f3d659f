// `npm run down`: stops exactly what `npm run up` recorded (processes checked against /proc first;
// containers and the network by their environment label), then forgets the record.

import { KEEPER_STOP_MS } from './containers-up.js';
import { removeContainerEnvironment } from './docker.js';
import type { StatePaths } from './paths.js';
import { stopRecordedProcess } from './processes.js';
import { removeEnvironmentRecord, type EnvironmentRecord } from './state.js';

export interface TeardownReport {
  /** For each recorded process: how many processes of its group were still there to stop. */
  processes: Array<{ role: string; pid: number; stopped: number }>;
  /** Containers and networks removed by label (containers runtime), or why that failed. */
  docker: { containers: number; networks: number } | { problem: string } | null;
}

export async function tearDownEnvironment(record: EnvironmentRecord, paths: StatePaths): Promise<TeardownReport> {
  const processes: TeardownReport['processes'] = [];
  // The gateway before its upstream, as they were started in the other order.
  for (const recorded of [...record.processes].reverse()) {
    // A keeper and a kept lab remove containers before they end.
    const bound = recorded.role === 'keeper' || recorded.role === 'lab' ? KEEPER_STOP_MS : 5_000;
    processes.push({ role: recorded.role, pid: recorded.pid, stopped: await stopRecordedProcess(recorded, bound) });
  }
  let docker: TeardownReport['docker'] = null;
  if (record.containers) {
    // The keeper removes its containers when stopped; this catches a keeper that was killed outright.
    try {
      docker = await removeContainerEnvironment(record.containers.environmentId);
    } catch (err) {
      docker = { problem: (err as Error).message };
    }
  }
  removeEnvironmentRecord(paths);
  return { processes, docker };
}

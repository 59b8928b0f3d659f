// `npm run lab N -- --keep` records the environment it keeps the way `npm run up` does, so that
// `npm run reset`, `goto` and `status` reach it (and `down` ends it, by signalling the lab command,
// which then cleans up as on Ctrl-C). The record goes when the lab command ends.

import { basename } from 'node:path';
import type { AnyLabEnvironment } from '../env/runtime-choice.js';
import { statePaths } from '../classroom/paths.js';
import { processStartTicks, type RecordedProcess } from '../classroom/processes.js';
import { readEnvironmentRecord, removeEnvironmentRecord, writeEnvironmentRecord, type EnvironmentRecord } from '../classroom/state.js';

export interface KeptRecord {
  /** Whether the environment is now recorded (false: another one already was, and stays). */
  recorded: boolean;
  /** Removes the record if it is still this command's. */
  forget(): void;
}

function thisCommand(): RecordedProcess {
  return {
    role: 'lab',
    pid: process.pid,
    // This command runs in the user's terminal, in a process group it does not lead.
    group: false,
    startTicks: processStartTicks(process.pid),
    // The script's name is in our command line (node … scripts/lab.ts 5 --keep), however it was spelled.
    marker: basename(process.argv[1] ?? 'lab'),
    log: '',
    stopSignal: 'SIGTERM',
  };
}

export function recordKeptEnvironment(env: AnyLabEnvironment, startedBy: string, processEnv: NodeJS.ProcessEnv): KeptRecord {
  const paths = statePaths(processEnv);
  let existing: EnvironmentRecord | null;
  try {
    existing = readEnvironmentRecord(paths);
  } catch {
    // An unreadable record is the instructor's to sort out (npm run status explains it): leave it.
    return { recorded: false, forget: () => undefined };
  }
  if (existing || (env.runtime !== 'local' && env.runtime !== 'containers')) return { recorded: false, forget: () => undefined };
  const owner = thisCommand();
  const record: EnvironmentRecord = {
    format: 1,
    runtime: env.runtime,
    startedAt: new Date().toISOString(),
    proxyUrl: env.proxyUrl,
    adminUrl: env.adminUrl,
    upstream: env.upstream ?? { kind: 'unknown', url: '' },
    processes: [owner],
    applied: null,
    notes: [`kept by ${startedBy} (pid ${process.pid}): Ctrl-C there, or npm run down, ends it`],
    startedBy,
  };
  if ((env.nodes?.length ?? 1) > 1) record.nodes = env.nodes!.map((node) => ({ proxyUrl: node.proxyUrl, adminUrl: node.adminUrl }));
  if ('environmentId' in env) {
    record.containers = { environmentId: env.environmentId, network: env.network, containers: { ...env.containers, nodes: [...env.containers.nodes] }, images: env.images };
    // Its Redis lives in Docker, so npm run redis and reset reach it from any process (a local one is this command's child).
    record.redis = { host: env.redis.host, port: env.redis.port };
  }
  writeEnvironmentRecord(record, paths);
  return {
    recorded: true,
    forget() {
      try {
        const now = readEnvironmentRecord(paths);
        if (now?.processes[0]?.pid === owner.pid && now.startedAt === record.startedAt) removeEnvironmentRecord(paths);
      } catch {
        // Unreadable now: not ours to remove.
      }
    },
  };
}

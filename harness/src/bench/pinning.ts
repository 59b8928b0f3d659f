// CPU placement on the two-core machines: the load generator on one core, the server under test
// on the other, so neither steals cycles from the other mid-measurement. Without taskset the
// command runs unpinned and the report says so.

import { delimiter } from 'node:path';
import { findOnPath } from '../env/executables.js';

/** The core the server under test runs on. */
export const SERVER_CPU = 0;
/** The core the load generator (and, for proxied runs, the upstream) runs on. */
export const LOAD_CPU = 1;

/** Absolute path of an executable on PATH (or in the extra directories), else null. */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | null {
  return findOnPath(name, [process.env.PATH ?? '', ...extraDirs].join(delimiter)) ?? null;
}

/** Niceness of the processes under test and of the load (root only): neighbours still run, but yield to them. */
export const BENCH_NICENESS = -10;

export interface Pinning {
  /** taskset's path, or null when CPUs cannot be pinned. */
  taskset: string | null;
  cpus: number;
  /** nice's path when the bench raises its processes' priority, else null. */
  nice?: string | null;
}

/**
 * The command line that runs `command args` on `cpu` (no taskset when pinning is off or cpu is
 * null), under `nice -n -10` when priority is raised (the whole process, every thread, inherits it).
 */
export function pinnedCommand(pinning: Pinning, cpu: number | null, command: string, args: readonly string[]): [string, string[]] {
  let line: [string, string[]] = [command, [...args]];
  if (pinning.taskset !== null && cpu !== null && cpu < pinning.cpus) line = [pinning.taskset, ['-c', String(cpu), line[0], ...line[1]]];
  if (pinning.nice) line = [pinning.nice, ['-n', String(BENCH_NICENESS), line[0], ...line[1]]];
  return line;
}

/** Arguments that move every thread of a running process to `cpus` (e.g. "0" or "0,1"). */
export function repinArgs(pid: number, cpus: string): string[] {
  return ['-a', '-p', '-c', cpus, String(pid)];
}

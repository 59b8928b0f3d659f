// What the figures were measured on, and which of the optional tools this machine has.

import { availableParallelism, cpus } from 'node:os';
import { execa } from 'execa';
import { findExecutable, type Pinning } from './pinning.js';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  /** ISO date-time of the run. */
  date: string;
  nginx: { path: string; version: string } | null;
  wrk: { path: string; version: string } | null;
  taskset: string | null;
  nice: string | null;
  /** Whether this process may raise priorities (root). */
  privileged: boolean;
}

async function versionOf(path: string, args: string[], pattern: RegExp): Promise<string> {
  const result = await execa(path, args, { reject: false, all: true, timeout: 5_000 });
  return pattern.exec(String(result.all ?? ''))?.[1] ?? 'unknown';
}

export async function describeMachine(): Promise<MachineInfo> {
  const nginxPath = findExecutable('nginx', SBIN);
  const wrkPath = findExecutable('wrk');
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() || 'unknown',
    node: process.version,
    date: new Date().toISOString(),
    nginx: nginxPath ? { path: nginxPath, version: await versionOf(nginxPath, ['-v'], /nginx\/(\S+)/) } : null,
    wrk: wrkPath ? { path: wrkPath, version: await versionOf(wrkPath, ['--version'], /^wrk (\S+)/m) } : null,
    taskset: findExecutable('taskset'),
    nice: findExecutable('nice'),
    privileged: process.getuid?.() === 0,
  };
}

export function pinningOf(machine: MachineInfo, options: { priority: boolean }): Pinning {
  return {
    // One core cannot be split between load and server: pin nothing rather than pile both on CPU 0.
    taskset: machine.nproc >= 2 ? machine.taskset : null,
    cpus: machine.nproc,
    // Only root may lower niceness; elsewhere nice would just warn on every run.
    nice: options.priority && machine.privileged ? machine.nice : null,
  };
}

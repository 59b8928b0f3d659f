// CPU time a server process used, read from /proc (Linux): summed over all its threads from
// schedstat (nanoseconds), else utime + stime from stat (clock ticks). CPU per request barely moves
// when a neighbour steals the core, so it is the steadier figure on a shared machine.
// The split into user and system time comes from stat alone (schedstat has no split), in clock ticks.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux builds that matter here). */
const USER_HZ = 100;

/** First field of /proc/<pid>/task/<tid>/schedstat: time spent running, in ns. */
export function parseSchedstat(text: string): number | null {
  const first = text.trim().split(/\s+/)[0];
  return first !== undefined && /^\d+$/.test(first) ? Number(first) : null;
}

/** CPU time in user mode and in the kernel (system calls, and the softirq work that ran on the process's time). */
export interface UserSysNs {
  userNs: number;
  sysNs: number;
}

/**
 * utime and stime of /proc/<pid>/stat, in ns: the whole process, every thread, ended ones included.
 * The command name (field 2) may hold spaces and parentheses.
 */
export function parseStatUserSysNs(text: string, userHz = USER_HZ): UserSysNs | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (fields[12] === undefined || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { userNs: (utime * 1e9) / userHz, sysNs: (stime * 1e9) / userHz };
}

/** utime + stime of /proc/<pid>/stat, in ns. */
export function parseStatCpuNs(text: string, userHz = USER_HZ): number | null {
  const split = parseStatUserSysNs(text, userHz);
  return split === null ? null : split.userNs + split.sysNs;
}

/** CPU time used so far by every thread of `pid`, in ns; null where /proc cannot tell (not Linux, process gone). */
export function processCpuNs(pid: number): number | null {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const ns = parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
      if (ns === null) throw new Error('no schedstat');
      total += ns;
    }
    return total;
  } catch {
    try {
      return parseStatCpuNs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return null;
    }
  }
}

/** Sum over processes; null if any cannot be read. */
export function processesCpuNs(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ns = processCpuNs(pid);
    if (ns === null) return null;
    total += ns;
  }
  return total;
}

/** User and system time summed over processes, from stat; null if any cannot be read. */
export function processesUserSysNs(pids: readonly number[]): UserSysNs | null {
  const total: UserSysNs = { userNs: 0, sysNs: 0 };
  for (const pid of pids) {
    let split: UserSysNs | null;
    try {
      split = parseStatUserSysNs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      split = null;
    }
    if (split === null) return null;
    total.userNs += split.userNs;
    total.sysNs += split.sysNs;
  }
  return total;
}

/** One reading of a server's processes: the total (schedstat) and its split (stat). */
export interface CpuReading {
  totalNs: number | null;
  split: UserSysNs | null;
}

export function readProcessesCpu(pids: readonly number[]): CpuReading {
  return { totalNs: processesCpuNs(pids), split: processesUserSysNs(pids) };
}

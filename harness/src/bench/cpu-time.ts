// CPU time a server process used, read from /proc (Linux): summed over all its threads from
// schedstat (nanoseconds), else utime + stime from stat (clock ticks). CPU per request barely moves
// when a neighbour steals the core, so it is the steadier figure on a shared machine.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux builds that matter here). */
const USER_HZ = 100;

/** First field of /proc/<pid>/task/<tid>/schedstat: time spent running, in ns. */
export function parseSchedstat(text: string): number | null {
  const first = text.trim().split(/\s+/)[0];
  return first !== undefined && /^\d+$/.test(first) ? Number(first) : null;
}

/** utime + stime of /proc/<pid>/stat, in ns. The command name (field 2) may hold spaces and parentheses. */
export function parseStatCpuNs(text: string, userHz = USER_HZ): number | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1e9) / userHz;
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

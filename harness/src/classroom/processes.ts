// Processes that outlive the command that started them: spawned detached (their own session and
// process group, output to a log file) and recorded by pid. Before a recorded process is signalled,
// /proc must still show the same program started at the same moment, so a recycled pid is never hit.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

/** keeper: owns a container environment of npm run up; lab: `npm run lab N -- --keep`, which owns what it kept. */
export type ProcessRole = 'gateway' | 'httpbin' | 'keeper' | 'lab' | 'balancer' | 'redis';

export interface RecordedProcess {
  role: ProcessRole;
  /** Leader of its own process group (started detached), so pgid = pid; unless `group` is false. */
  pid: number;
  /** false: a process that is not its group's leader (a command in the user's terminal); only it is signalled. */
  group?: boolean;
  /** Start time from /proc/<pid>/stat (clock ticks since boot); '' when the platform does not tell. */
  startTicks: string;
  /** A word the command line must contain for the process to be ours (a script path, `gunicorn`). */
  marker: string;
  /** The file its stdout and stderr go to ('' when they go to a terminal). */
  log: string;
  /** The program's own quick, clean stop (gunicorn: SIGINT; node programs: SIGTERM). */
  stopSignal: 'SIGTERM' | 'SIGINT';
}

/** running: ours and alive; gone: exited; replaced: the pid now belongs to another program. */
export type RecordedProcessState = 'running' | 'gone' | 'replaced';

interface ProcInfo {
  state: string;
  pgid: number;
  startTicks: string;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces:
    // state(3) ppid(4) pgrp(5) … starttime(22).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return { state: rest[0], pgid: Number(rest[2]), startTicks: rest[19] ?? '', cmdline };
  } catch {
    return null;
  }
}

export function processStartTicks(pid: number): string {
  return readProc(pid)?.startTicks ?? '';
}

export function recordedProcessState(recorded: RecordedProcess): RecordedProcessState {
  const info = readProc(recorded.pid);
  // A zombie has exited; it only waits for its parent to read its status.
  if (!info || info.state === 'Z') return 'gone';
  if (recorded.startTicks && info.startTicks !== recorded.startTicks) return 'replaced';
  if (!info.cmdline.includes(recorded.marker)) return 'replaced';
  return 'running';
}

/**
 * The live members of the recorded process group that carry the marker (gunicorn's workers share
 * their master's group). Empty when the leader's pid was reused: Linux never hands out a pid that
 * is still some group's id, so a group whose leader is merely gone is still the one we started.
 */
function groupMembers(recorded: RecordedProcess): number[] {
  // pid 0 (a spawn that failed) would match the kernel's own threads.
  if (recorded.pid <= 0 || recordedProcessState(recorded) === 'replaced') return [];
  if (recorded.group === false) return recordedProcessState(recorded) === 'running' ? [recorded.pid] : [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info && info.state !== 'Z' && info.pgid === recorded.pid && info.cmdline.includes(recorded.marker)) members.push(Number(entry));
  }
  return members;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone meanwhile.
  }
}

const POLL_MS = 50;

/**
 * Stops the recorded process and its group: its stop signal first, SIGKILL for whatever is left
 * after `boundMs`. Returns how many processes were found to stop.
 */
export async function stopRecordedProcess(recorded: RecordedProcess, boundMs = 5_000): Promise<number> {
  const members = groupMembers(recorded);
  for (const pid of members) signal(pid, recorded.stopSignal);
  const deadline = Date.now() + boundMs;
  let left = members;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    left = groupMembers(recorded);
  }
  for (const pid of left) signal(pid, 'SIGKILL');
  while (groupMembers(recorded).length > 0 && Date.now() < deadline + boundMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return members.length;
}

export interface DetachedProcess {
  readonly child: ChildProcess;
  readonly recorded: RecordedProcess;
  /** Resolves when the process exits while this command still runs (start-up failures). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Lets this command end without waiting for the process. */
  release(): void;
}

export interface DetachedSpawnOptions {
  role: ProcessRole;
  command: string;
  args: string[];
  marker: string;
  log: string;
  stopSignal: RecordedProcess['stopSignal'];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts a process in its own session and process group, stdout and stderr appended to `log`, so it
 * survives the end of this command, a closed terminal and a Ctrl-C meant for this command.
 * (node:child_process rather than execa: execa's value is the awaited result, and there is none here.)
 */
export function spawnDetached(options: DetachedSpawnOptions): DetachedProcess {
  const fd = openSync(options.log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signalName) => resolve({ code, signal: signalName }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const pid = child.pid ?? 0;
  return {
    child,
    exited,
    recorded: { role: options.role, pid, startTicks: pid ? processStartTicks(pid) : '', marker: options.marker, log: options.log, stopSignal: options.stopSignal },
    release: () => child.unref(),
  };
}

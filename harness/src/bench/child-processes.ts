// Every process the bench starts goes through here: started (optionally pinned), tracked, and
// stopped at the end, on an error, and on Ctrl-C (through the harness's one cleanup net).

import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { registerCleanup } from '../env/cleanup.js';
import { pinnedCommand, repinArgs, type Pinning } from './pinning.js';
import { stopChild } from '../process/stop-child.js';

const STOP_BOUND_MS = 5_000;
const STDERR_TAIL_LINES = 20;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process is gone. */
  readonly exited: Promise<ChildExit>;
  isRunning(): boolean;
  stderrTail(): string;
  /** Collected stdout (only when started with `stdout: 'collect'`). */
  stdout(): string;
  /** Moves every thread of the process to `cpus` (no-op without taskset). */
  repin(cpus: string): Promise<void>;
  /** SIGTERM (or `signal`), SIGKILL after a bound. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildOptions {
  name: string;
  command: string;
  args: readonly string[];
  cpu: number | null;
  pinning: Pinning;
  env?: Record<string, string>;
  cwd?: string;
  /** 'ignore' sends it to /dev/null (what the gateway's access log costs is part of the gateway). */
  stdout: 'ignore' | 'collect';
  /** Kills the process if still running after this long. */
  timeoutMs?: number;
}

/** Something the bench started that is not a BenchChild (a redis-server from harness/src/redis). */
export interface BenchResource {
  close(): Promise<void>;
  /** Its process, for the synchronous kill on a sudden exit; null when none runs. */
  pid(): number | null;
}

const running = new Set<BenchChild>();
const resources = new Set<BenchResource>();
let unregister: (() => void) | null = null;

function ensureRegistered(): void {
  unregister ??= registerCleanup(
    () => stopAllChildren(),
    () => [...[...running].map((c) => c.pid), ...[...resources].map((r) => r.pid()).filter((pid): pid is number => pid !== null)],
  );
}

function track(child: BenchChild): void {
  running.add(child);
  ensureRegistered();
  void child.exited.then(() => running.delete(child));
}

/** Has `resource` closed with everything else: at the end, on an error and on Ctrl-C. */
export function trackResource(resource: BenchResource): void {
  resources.add(resource);
  ensureRegistered();
}

/** Stops whatever the bench still has running (end of run, error, interruption). */
export async function stopAllChildren(): Promise<void> {
  const closing = [...resources];
  resources.clear();
  await Promise.all([
    ...[...running].map((child) => child.stop().catch(() => undefined)),
    ...closing.map((resource) => resource.close().catch(() => undefined)),
  ]);
  unregister?.();
  unregister = null;
}

/** Moves every thread of process `pid` to `cpus` (no-op without taskset). */
export async function repinProcess(pinning: Pinning, pid: number, cpus: string): Promise<void> {
  if (pinning.taskset === null) return;
  await execa(pinning.taskset, repinArgs(pid, cpus), { reject: false, stdio: 'ignore' });
}

export function startChild(options: ChildOptions): BenchChild {
  const [command, args] = pinnedCommand(options.pinning, options.cpu, options.command, options.args);
  const subprocess: ResultPromise = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    cleanup: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: options.stdout === 'ignore' ? 'ignore' : 'pipe',
    stderr: 'pipe',
    timeout: options.timeoutMs,
    forceKillAfterDelay: STOP_BOUND_MS,
  });
  // With reject:false the promise never rejects; it settles once the process is gone AND its
  // output streams are drained, so collected stdout is complete by then.
  const exited: Promise<ChildExit> = subprocess.then(
    (result) => ({ code: result.exitCode ?? null, signal: (result.signal as NodeJS.Signals | undefined) ?? null }),
    () => ({ code: null, signal: null }),
  );

  const stderrLines: string[] = [];
  createInterface({ input: subprocess.stderr! }).on('line', (line) => {
    stderrLines.push(line);
    if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
  });
  let collected = '';
  if (options.stdout === 'collect') subprocess.stdout!.on('data', (chunk: Buffer) => (collected += chunk.toString('utf8')));

  let gone = false;
  void exited.then(() => (gone = true));
  let stopping: Promise<void> | null = null;

  const child: BenchChild = {
    name: options.name,
    pid: subprocess.pid ?? -1,
    exited,
    isRunning: () => !gone,
    stderrTail: () => stderrLines.join('\n'),
    stdout: () => collected,
    async repin(cpus) {
      if (!gone) await repinProcess(options.pinning, child.pid, cpus);
    },
    stop(signal = 'SIGTERM') {
      stopping ??= (async () => {
        if (gone) return;
        await stopChild(subprocess, exited, signal, STOP_BOUND_MS);
      })();
      return stopping;
    },
  };
  track(child);
  return child;
}

/** Runs a process to its end (bounded) and returns its stdout; used for load generators. */
export async function runChild(options: Omit<ChildOptions, 'stdout'> & { timeoutMs: number }): Promise<{ exit: ChildExit; stdout: string; stderr: string }> {
  const child = startChild({ ...options, stdout: 'collect' });
  const exit = await child.exited;
  return { exit, stdout: child.stdout(), stderr: child.stderrTail() };
}

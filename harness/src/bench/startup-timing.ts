// How fast the kit's commands answer, as an attendee types them: wall time of `npm run status` and
// `npm run reset` on a running class environment, and of `npm run lab 3` up to its first verified
// check. Every run goes through npm, as typed; the environment is a local one of its own (a
// temporary state folder, free ports), stopped at the end.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { REPO_ROOT } from './paths.js';
import { spread, type Spread } from './stats.js';

/** `npm run status` and `npm run reset` should answer within this, wall time, on a running environment. */
export const STARTUP_TARGET_SECONDS = 0.8;
const QUICK_RUNS = 5;
const LAB_RUNS = 3;
/** Bounds a hang, not a figure. */
const COMMAND_TIMEOUT_MS = 120_000;
/** A check line of the lab's output (✓ passed, ✗ failed): the first one is the first verified check. */
const CHECK_LINE = /^\s*[✓✗] /;

export type StartupTiming =
  | {
      available: true;
      status: Spread;
      reset: Spread;
      /** `node bin/labkit status`, without npm: the rest of `status` is npm's own start. */
      statusWithoutNpm: Spread;
      labFirstCheck: Spread;
      runs: { quick: number; lab: number };
    }
  | { available: false; reason: string };

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function commandEnv(stateDir: string): Record<string, string> {
  return { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1', FORCE_COLOR: '0' };
}

function npmRun(args: string[], stateDir: string, signal?: AbortSignal): Promise<{ seconds: number; exitCode: number; output: string }> {
  return timedRun(npm, ['run', '--silent', ...args], stateDir, signal);
}

async function timedRun(file: string, args: string[], stateDir: string, signal?: AbortSignal): Promise<{ seconds: number; exitCode: number; output: string }> {
  const started = performance.now();
  const result = await execa(file, args, {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: COMMAND_TIMEOUT_MS,
    cancelSignal: signal,
    env: commandEnv(stateDir),
  });
  return { seconds: (performance.now() - started) / 1000, exitCode: result.exitCode ?? -1, output: String(result.all ?? '') };
}

/** Seconds from `npm run lab 3` to the first check line it prints; the lab then runs to its end. */
async function labFirstCheck(stateDir: string, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  const child = execa(npm, ['run', '--silent', 'lab', '3', '--', '--runtime', 'local'], {
    cwd: REPO_ROOT,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    timeout: COMMAND_TIMEOUT_MS,
    cancelSignal: signal,
    env: commandEnv(stateDir),
  });
  let firstCheck: number | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (firstCheck === null && CHECK_LINE.test(line)) firstCheck = (performance.now() - started) / 1000;
  });
  const result = await child;
  if (firstCheck === null) throw new Error(`npm run lab 3 printed no check (exit ${result.exitCode ?? -1})`);
  return firstCheck;
}

async function measured(what: string, runs: number, once: () => Promise<{ seconds: number; exitCode: number; output: string }>): Promise<Spread> {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await once();
    if (result.exitCode !== 0) throw new Error(`${what} exited ${result.exitCode}: ${result.output.trim().split('\n').slice(-2).join(' | ')}`);
    seconds.push(result.seconds);
  }
  return spread(seconds);
}

export async function timeStartup(progress: (message: string) => void, signal?: AbortSignal): Promise<StartupTiming> {
  const stateDir = mkdtempSync(join(tmpdir(), 'labkit-bench-startup-'));
  try {
    progress('startup: a class environment of its own (local, free ports)…');
    const up = await npmRun(['up', '--', '--runtime', 'local', '--proxy-port', '0', '--admin-port', '0'], stateDir, signal);
    if (up.exitCode !== 0) return { available: false, reason: `npm run up failed (exit ${up.exitCode}): ${up.output.trim().split('\n').slice(-2).join(' | ')}` };
    // Unmeasured: a first command after a source change rebuilds the bundle, which is not start-up.
    await npmRun(['status'], stateDir, signal);
    progress(`startup: npm run status and npm run reset, ${QUICK_RUNS} runs each…`);
    const status = await measured('npm run status', QUICK_RUNS, () => npmRun(['status'], stateDir, signal));
    const reset = await measured('npm run reset', QUICK_RUNS, () => npmRun(['reset'], stateDir, signal));
    const statusWithoutNpm = await measured('node bin/labkit status', QUICK_RUNS, () =>
      timedRun(process.execPath, [join(REPO_ROOT, 'bin', 'labkit'), 'status'], stateDir, signal),
    );
    await npmRun(['down'], stateDir, signal);
    progress(`startup: npm run lab 3 to its first verified check, ${LAB_RUNS} runs…`);
    const lab: number[] = [];
    for (let run = 0; run < LAB_RUNS; run++) lab.push(await labFirstCheck(stateDir, signal));
    return { available: true, status, reset, statusWithoutNpm, labFirstCheck: spread(lab), runs: { quick: QUICK_RUNS, lab: LAB_RUNS } };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await npmRun(['down'], stateDir).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const s = (value: number) => `${value.toFixed(2)} s`;
const range = (figure: Spread) => `${s(figure.median)} (${s(figure.min)}…${s(figure.max)})`;

export function formatStartupTiming(startup: StartupTiming | null | undefined): string {
  if (!startup) return 'startup timing: not measured';
  if (!startup.available) return `startup timing: unavailable (${startup.reason})`;
  const met = Math.max(startup.status.median, startup.reset.median) < STARTUP_TARGET_SECONDS;
  return [
    `startup timing (wall, through npm; median (min…max) of ${startup.runs.quick} runs on a running local environment):`,
    `  npm run status ${range(startup.status)}, npm run reset ${range(startup.reset)} (target < ${STARTUP_TARGET_SECONDS} s: ${met ? 'met' : 'NOT met'})`,
    `  node bin/labkit status (the same without npm's own start) ${range(startup.statusWithoutNpm)}`,
    `  npm run lab 3 to its first verified check (fresh local environment, ${startup.runs.lab} runs): ${range(startup.labFirstCheck)}`,
  ].join('\n');
}

export function startupTimingJson(startup: StartupTiming | null | undefined): unknown {
  if (!startup) return { available: false, reason: 'not measured' };
  if (!startup.available) return startup;
  const seconds = (figure: Spread) => ({ median: figure.median, min: figure.min, max: figure.max });
  return {
    available: true,
    status_seconds: seconds(startup.status),
    reset_seconds: seconds(startup.reset),
    status_without_npm_seconds: seconds(startup.statusWithoutNpm),
    lab3_first_check_seconds: seconds(startup.labFirstCheck),
    target_seconds: STARTUP_TARGET_SECONDS,
    runs: startup.runs,
  };
}

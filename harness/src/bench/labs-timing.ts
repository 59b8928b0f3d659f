// The harness's own speed: wall time of `npm run labs` on the local runtime, with the time spent
// waiting for fresh rate-limit windows reported apart (those waits are Kong's clock, not ours).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { REPO_ROOT } from './paths.js';

const LABS_TIMEOUT_MS = 300_000;

export type LabsTiming =
  | { available: true; wallSeconds: number; windowWaitSeconds: number; withoutWaitsSeconds: number; exitCode: number; note: string | null }
  | { available: false; reason: string };

export interface LabsJsonSummary {
  waitedSeconds: number;
  labs: number;
  labsPassed: number;
  passed: boolean;
}

/** The summary of `npm run labs -- --json` (format kong-labkit/lab-results@1), or null when stdout holds none. */
export function parseLabsJson(stdout: string): LabsJsonSummary | null {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start === -1 || end < start) return null;
  try {
    const report = JSON.parse(stdout.slice(start, end + 1)) as {
      summary?: { waitedMs?: unknown; labs?: unknown; labsPassed?: unknown; passed?: unknown };
    };
    const summary = report.summary;
    if (!summary || typeof summary.waitedMs !== 'number') return null;
    return {
      waitedSeconds: summary.waitedMs / 1000,
      labs: Number(summary.labs ?? 0),
      labsPassed: Number(summary.labsPassed ?? 0),
      passed: summary.passed === true,
    };
  } catch {
    return null;
  }
}

/** Sums the runner's "waited N s for a fresh rate-limit window" notes (text output, when --json gave nothing). */
export function windowWaitSeconds(output: string): number {
  let total = 0;
  for (const match of output.matchAll(/waited (\d+(?:\.\d+)?) ?s for a fresh rate-limit window/g)) total += Number(match[1]);
  return total;
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ').slice(0, 300);
}

export async function timeLabs(signal?: AbortSignal): Promise<LabsTiming> {
  if (!existsSync(join(REPO_ROOT, 'scripts/labs.ts'))) return { available: false, reason: 'scripts/labs.ts does not exist yet' };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const started = performance.now();
  const result = await execa(npm, ['run', '--silent', 'labs', '--', '--runtime', 'local', '--json'], {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: LABS_TIMEOUT_MS,
    cancelSignal: signal,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const output = String(result.all ?? '');
  if (result.timedOut) return { available: false, reason: `npm run labs took longer than ${LABS_TIMEOUT_MS / 1000} s and was stopped` };
  const exitCode = result.exitCode ?? -1;
  if (result.failed && /Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/.test(output)) {
    return { available: false, reason: `npm run labs does not run yet (exit ${exitCode}: ${lastLines(output, 2)})` };
  }
  const summary = parseLabsJson(String(result.stdout ?? ''));
  if (summary === null && exitCode !== 0) {
    return { available: false, reason: `npm run labs failed before reporting (exit ${exitCode}: ${lastLines(output, 2)})` };
  }
  const waits = summary?.waitedSeconds ?? windowWaitSeconds(output);
  let note: string | null = null;
  if (summary !== null && !summary.passed) note = `${summary.labs - summary.labsPassed} of ${summary.labs} labs failed: the time is that of a failing run`;
  else if (exitCode !== 0) note = `npm run labs exited ${exitCode}: ${lastLines(output, 2)}`;
  return {
    available: true,
    wallSeconds,
    windowWaitSeconds: waits,
    withoutWaitsSeconds: Math.max(0, wallSeconds - waits),
    exitCode,
    note,
  };
}

// An npm script run as a process of its own (node --import tsx scripts/<name>.ts), its output read
// line by line while it runs, and every process it started found by a mark in their environment.

import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MARK = 'LABKIT_TEST_PROCESS_MARK';

export interface RunningCommand {
  child: ResultPromise<{ buffer: false; reject: false; stdout: 'pipe'; stderr: 'pipe'; stdin: 'ignore' }>;
  mark: string;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line that matches (rejects when the output ends first). */
  waitForLine(pattern: RegExp): Promise<string>;
  stderr(): string;
}

export function startCommand(name: string, args: string[], env: Record<string, string>): RunningCommand {
  const mark = randomUUID();
  const child = execa(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', `${name}.ts`), ...args], {
    cwd: REPO_ROOT,
    env: { NO_COLOR: '1', ...env, [MARK]: mark },
    buffer: false,
    reject: false,
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
    // Bounds a hang, not a duration the test asserts.
    timeout: 10 * 60_000,
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  reader.on('close', () => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`output ended before a line matched ${waiter.pattern}:\n${lines.join('\n')}\n${stderr}`));
  });
  return {
    child,
    mark,
    lines,
    waitForLine: (pattern) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
    stderr: () => stderr,
  };
}

/** Live processes (not zombies) whose environment carries `mark`: whatever a command started, however deep. */
export function processesMarked(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`${MARK}=${mark}`)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Waits (bounded) until no process carries `mark` any more; returns those still there. */
export async function processesLeft(mark: string, boundMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + boundMs;
  let left = processesMarked(mark);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesMarked(mark);
  }
  return left;
}

export const MARK_ENV = MARK;

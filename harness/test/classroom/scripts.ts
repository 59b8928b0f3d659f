// Runs the classroom npm scripts as the attendee would (a process each), against a temporary state folder.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { request } from 'undici';
import type { EnvironmentRecord } from '../../src/classroom/state.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ScriptRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function temporaryStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'labkit-classroom-'));
}

/**
 * State dirs for one test file: `next()` makes one; `cleanUp()` (in afterAll) stops whatever a failed
 * assertion left running, the way an instructor would (`npm run down`), then removes the dirs.
 */
export function stateDirTracker(): { next(): string; cleanUp(): Promise<void> } {
  const dirs: string[] = [];
  return {
    next() {
      const dir = temporaryStateDir();
      dirs.push(dir);
      return dir;
    },
    async cleanUp() {
      for (const dir of dirs) {
        if (existsSync(join(dir, 'environment.json'))) await runScript('down', [], dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `npm run <name> -- <args>` without npm's own output: node --import tsx scripts/<name>.ts. */
export async function runScript(name: string, args: string[], stateDir: string, env: Record<string, string> = {}): Promise<ScriptRun> {
  const result = await execa(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', `${name}.ts`), ...args], {
    cwd: REPO_ROOT,
    // Wide: these tests read what the commands say, not how it folds (every-command.test.ts does that).
    env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1', COLUMNS: '1000', ...env },
    reject: false,
    stdin: 'ignore',
    // Bounds a hang, not a duration the test asserts.
    timeout: 15 * 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export function record(dir: string): EnvironmentRecord {
  return JSON.parse(readFileSync(`${dir}/environment.json`, 'utf8')) as EnvironmentRecord;
}

export async function counters(adminUrl: string): Promise<number> {
  const response = await request(`${adminUrl}/_labkit/rate-limiting/counters`);
  return ((await response.body.json()) as { counters: number }).counters;
}

export async function status(dir: string): Promise<{ exitCode: number; json: { health: { applied: { state: string; record: { lab: string | null } | null }; counters: { state: string; count?: number }; problems: string[] } } }> {
  const run = await runScript('status', ['--json'], dir);
  return { exitCode: run.exitCode, json: JSON.parse(run.stdout) };
}

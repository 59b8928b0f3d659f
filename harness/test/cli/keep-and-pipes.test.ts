// `npm run lab N -- --keep` stays in the foreground until Ctrl-C or SIGTERM, is reachable by status,
// goto and reset meanwhile, then cleans up and exits 0; `npm run lab 1 | head -3` ends quietly with
// status 0 and nothing left running. On local processes here; on containers where Docker answers
// (LABKIT_REQUIRE_DOCKER=1 makes that mandatory).

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnvironmentRecord } from '../../src/classroom/state.js';
import { dockerRequirement } from '../../src/env/containers/requirements.js';
import { environmentResources } from '../env/containers/docker-state.js';
import { runScript, temporaryStateDir } from '../classroom/scripts.js';
import { MARK_ENV, processesLeft, processesMarked, REPO_ROOT, startCommand } from './command-process.js';

const docker = await dockerRequirement();
const dirs: string[] = [];
function stateDir(): string {
  const dir = temporaryStateDir();
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function readRecord(dir: string): EnvironmentRecord {
  return JSON.parse(readFileSync(join(dir, 'environment.json'), 'utf8')) as EnvironmentRecord;
}

async function get(url: string, apikey: string): Promise<number> {
  const response = await request(url, { headers: { apikey }, headersTimeout: 5_000, bodyTimeout: 5_000 });
  await response.body.dump();
  return response.statusCode;
}

async function keptLabSession(runtime: 'local' | 'containers', signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
  const dir = stateDir();
  const lab = startCommand('lab', ['5', '--keep', '--runtime', runtime, '--upstream', 'embedded-httpbin'], { LABKIT_STATE_DIR: dir });
  try {
    await lab.waitForLine(/^Press Ctrl-C to stop it and clean up\.$/);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${lab.stderr()}`);
  }
  const output = lab.lines.join('\n');
  // The lab's burst used up consumer1's limit: the output says so and how to start afresh.
  expect(output).toContain('The lab used up the rate limit');
  expect(output).toContain('npm run goto 5');
  expect(output).toContain('npm run status, reset and goto 5 work on it from another terminal.');

  // Still up after it said so (before the fix, on containers, it had already exited here).
  const record = readRecord(dir);
  expect(record.runtime).toBe(runtime);
  expect(record.startedBy).toBe('npm run lab 5 -- --keep');
  expect(record.applied?.lab).toBe('05-rate-limits');
  expect(lab.child.exitCode).toBeNull();
  expect(await get(`${record.proxyUrl}/key-auth-route/get`, '123456')).toBe(429);

  const status = await runScript('status', [], dir);
  expect(status.exitCode, status.stdout + status.stderr).toBe(0);
  expect(status.stdout).toContain('Environment of npm run lab 5 -- --keep');
  expect(status.stdout).toMatch(/Lab {9}05-rate-limits/);
  // goto gives fresh counters, on the kept environment: consumer1 is let through again.
  const goto = await runScript('goto', ['5'], dir);
  expect(goto.exitCode, goto.stderr).toBe(0);
  expect(await get(`${record.proxyUrl}/key-auth-route/get`, '123456')).toBe(200);

  lab.child.kill(signal);
  const result = await lab.child;
  expect(result.signal, lab.stderr()).toBeUndefined();
  expect(result.exitCode, lab.stderr()).toBe(0);
  expect(lab.lines).toContain('Stopping the environment…');
  expect(await processesLeft(lab.mark)).toEqual([]);
  expect(existsSync(join(dir, 'environment.json'))).toBe(false);
  if (record.containers) expect(await environmentResources(record.containers.environmentId)).toEqual({ containers: [], networks: [] });
}

describe('npm run lab N -- --keep on local processes', () => {
  it('stays up and reachable by status and goto; Ctrl-C cleans up and exits 0', { timeout: 120_000 }, () => keptLabSession('local', 'SIGINT'));

  it('npm run down ends it: the lab command cleans up as on Ctrl-C', { timeout: 120_000 }, async () => {
    const dir = stateDir();
    const lab = startCommand('lab', ['1', '--keep', '--runtime', 'local', '--upstream', 'embedded-httpbin'], { LABKIT_STATE_DIR: dir });
    await lab.waitForLine(/^Press Ctrl-C/);
    const down = await runScript('down', [], dir);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain('stopped npm run lab 1 -- --keep');
    const result = await lab.child;
    expect(result.exitCode, lab.stderr()).toBe(0);
    expect(await processesLeft(lab.mark)).toEqual([]);
  });
});

describe.skipIf(docker.skip)(docker.skip ? `npm run lab N -- --keep on containers — skipped: ${docker.reason}` : 'npm run lab N -- --keep on containers', () => {
  it('stays up until SIGTERM, then removes its containers and network', { timeout: 900_000 }, () => keptLabSession('containers', 'SIGTERM'));
});

describe('a reader that stops reading', () => {
  it('`npm run lab 1 | head -3`: three lines, exit 0, no stack trace, nothing left running', { timeout: 120_000 }, async () => {
    const dir = stateDir();
    const script = join(REPO_ROOT, 'scripts', 'lab.ts');
    const mark = `head-${process.pid}-${Date.now()}`;
    const piped = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${script}" 1 --runtime local | head -3`], {
      cwd: REPO_ROOT,
      env: { LABKIT_STATE_DIR: dir, NO_COLOR: '1', [MARK_ENV]: mark },
      reject: false,
      timeout: 10 * 60_000,
    });
    expect(String(piped.stdout).split('\n')).toHaveLength(3);
    expect(piped.stderr).toBe('');
    expect(piped.exitCode).toBe(0);
    expect(await processesLeft(mark)).toEqual([]);
  });

  it('`npm run labs | head -3` and `npm run verify-docs PAGE | head -1`: the same for every command', { timeout: 180_000 }, async () => {
    const page = join(REPO_ROOT, 'content', 'api-key-authentication', '02-key-auth-enabled.md');
    for (const [script, args, lines] of [
      ['labs', '--runtime local --upstream embedded-httpbin', 3],
      ['verify-docs', `--runtime local --upstream embedded-httpbin "${page}"`, 1],
    ] as const) {
      const mark = `head-${script}-${process.pid}-${Date.now()}`;
      const piped = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${join(REPO_ROOT, 'scripts', `${script}.ts`)}" ${args} | head -${lines}`], {
        cwd: REPO_ROOT,
        env: { LABKIT_STATE_DIR: stateDir(), NO_COLOR: '1', [MARK_ENV]: mark },
        reject: false,
        timeout: 10 * 60_000,
      });
      expect(String(piped.stdout).split('\n'), script).toHaveLength(lines);
      // Progress (stderr) may say which runtime; never a stack trace or EPIPE.
      expect(piped.stderr, script).not.toMatch(/EPIPE|\n\s+at |unexpected error/);
      expect(piped.exitCode, `${script}: ${piped.stderr}`).toBe(0);
      expect(await processesLeft(mark), script).toEqual([]);
    }
  });

  it('a reader that goes once the lab is running: the environment is closed, exit 0', { timeout: 120_000 }, async () => {
    const dir = stateDir();
    const lab = startCommand('lab', ['3', '--runtime', 'local'], { LABKIT_STATE_DIR: dir });
    await lab.waitForLine(/^\$ deck gateway sync/);
    // The gateway and httpbin run now.
    expect(processesMarked(lab.mark).length).toBeGreaterThan(1);
    lab.child.stdout.destroy();
    const result = await lab.child;
    expect(lab.stderr()).not.toMatch(/EPIPE|\n\s+at /);
    expect(result.exitCode).toBe(0);
    expect(await processesLeft(lab.mark)).toEqual([]);
  });
});

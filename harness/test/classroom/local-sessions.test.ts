// The instructor's session on the local runtime, end to end through the npm scripts:
// up → lab (rate limits) → reset → the same lab again starts from Remaining 4 → goto another lab →
// status names it → down leaves no process behind. And a gateway killed behind the harness's back.

import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunningEnvironment, readRunningEnvironment, recordAppliedLab, type EnvironmentRecord } from '../../src/classroom/state.js';
import { statePaths } from '../../src/classroom/paths.js';
import { syncAndRunLab } from '../../src/session/sync-and-run.js';
import { findLab, loadLabs } from '../../src/spec/discover.js';
import { syncDeclarationFile } from '../../src/sync/index.js';
import { isAlive, processesMatching } from '../env/processes.js';
import { counters, record, runScript, status, stateDirTracker } from './scripts.js';

const labs = loadLabs();
const rateLimits = findLab(labs, 'rate-limits');
const consumer1 = findLab(labs, 'consumer1');

const stateDirs = stateDirTracker();
const newStateDir = stateDirs.next;

afterAll(() => stateDirs.cleanUp());

/** Every process of the environment: the recorded ones and gunicorn's workers (same command line). */
function environmentPids(rec: EnvironmentRecord): number[] {
  const httpbinPort = new URL(rec.upstream.url).port;
  return [...rec.processes.map((p) => p.pid), ...processesMatching('gunicorn', `127.0.0.1:${httpbinPort}`)];
}

describe('classroom session on the local runtime', () => {
  it('up → lab → reset → lab again from Remaining 4 → goto → status → down', { timeout: 180_000 }, async () => {
    const dir = newStateDir();
    const paths = statePaths({ LABKIT_STATE_DIR: dir });

    const up = await runScript('up', ['--runtime', 'local', '--proxy-port', '0', '--admin-port', '0'], dir);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain('• starting httpbin');
    expect(up.stdout).toMatch(/• ready in \d+\.\d s/);
    expect(up.stdout).toContain('Environment up (local)');
    const rec = record(dir);
    expect(up.stdout).toContain(`export DATA_PLANE_LB=${rec.proxyUrl}`);
    const pids = environmentPids(rec);
    // The command has ended; what it started has not.
    for (const pid of rec.processes.map((p) => p.pid)) expect(isAlive(pid), `pid ${pid}`).toBe(true);

    const again = await runScript('up', ['--runtime', 'local', '--proxy-port', '0', '--admin-port', '0'], dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('An environment is already up');
    expect(record(dir).processes).toEqual(rec.processes);

    // npm run lab 5, as the CLI does it with the running environment.
    const env = await readRunningEnvironment(paths);
    expect(env).not.toBeNull();
    expect(env!.proxyUrl).toBe(rec.proxyUrl);
    expect(isRunningEnvironment(env!)).toBe(true);
    const first = await syncAndRunLab(rateLimits, env!);
    await recordAppliedLab(rateLimits.id, first.sync.configurationHash, env!.adminUrl, paths);
    await env!.close(); // borrowed: it stays up for the commands below
    expect(first.result.passed, JSON.stringify(first.result.checks.map((c) => [c.name, c.error, c.notes]))).toBe(true);
    expect(first.result.checks[0].exchanges[0].response?.headers['ratelimit-remaining']).toBe('4');

    const afterLab = await status(dir);
    expect(afterLab.exitCode).toBe(0);
    expect(afterLab.json.health.applied).toMatchObject({ state: 'current', record: { lab: '05-rate-limits' } });
    expect(afterLab.json.health.counters.state).toBe('known');
    expect(afterLab.json.health.counters.count).toBeGreaterThan(0);

    const reset = await runScript('reset', [], dir);
    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Empty configuration, rate-limit counters cleared');
    expect(reset.stdout).toContain('Deleted: 9');
    expect(await counters(rec.adminUrl)).toBe(0);
    const config = (await (await request(`${rec.adminUrl}/config`)).body.json()) as { config: string };
    expect(config.config).not.toContain('httpbin-service');

    const second = await syncAndRunLab(rateLimits, env!);
    expect(second.result.passed).toBe(true);
    expect(second.result.checks[0].exchanges[0].response?.headers['ratelimit-remaining']).toBe('4');
    // Counters were cleared, so the burst needs no fresh window (near a minute boundary it may still wait a few
    // seconds for a window long enough to hold it: that is the runner's reserve, not a wait for the reset).
    expect(second.sync.counters).toBe('cleared');

    const goto = await runScript('goto', ['3'], dir);
    expect(goto.exitCode, goto.stderr).toBe(0);
    expect(goto.stdout).toContain(`Lab 3 — ${consumer1.title}`);
    expect(goto.stdout).toContain('Now at lab 3 (03-consumer1), rate-limit counters cleared');
    expect(goto.stdout).toContain(`curl -i ${rec.proxyUrl}/key-auth-route/get`);
    expect(await counters(rec.adminUrl)).toBe(0);

    // `npm run reset -- N` is goto N.
    const resetTo = await runScript('reset', ['consumer1'], dir);
    expect(resetTo.exitCode, resetTo.stderr).toBe(0);
    expect(resetTo.stdout).toContain('Now at lab 3 (03-consumer1)');

    const named = await runScript('status', [], dir);
    expect(named.exitCode).toBe(0);
    expect(named.stdout).toMatch(/Lab {9}03-consumer1 — /);
    expect(named.stdout).toMatch(/Gateway {5}reachable, configuration hash [0-9a-f]{32}/);

    // Someone syncs behind the kit's back: status no longer claims to know the lab.
    await syncDeclarationFile(findLab(labs, '4').declarationPath, { adminUrl: rec.adminUrl });
    const changed = await runScript('status', [], dir);
    expect(changed.stdout).toMatch(/Lab {9}unknown \(changed since 03-consumer1 at \d\d:\d\d:\d\d\)/);

    const down = await runScript('down', [], dir);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain('stopped gateway');
    expect(down.stdout).toContain('stopped httpbin');
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
    expect(existsSync(paths.stateFile)).toBe(false);
    expect(await readRunningEnvironment(paths)).toBeNull();
    expect((await runScript('status', [], dir)).exitCode).toBe(3);
    expect((await runScript('down', [], dir)).stdout).toContain('Nothing to stop');
  });

  it('reports a gateway killed behind its back, and down cleans up the rest', { timeout: 120_000 }, async () => {
    const dir = newStateDir();
    const paths = statePaths({ LABKIT_STATE_DIR: dir });
    // A port someone else holds: an error that says what to do, and nothing started; with --any-port, a free one and a note.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const heldPort = (holder.address() as { port: number }).port;
    let up;
    try {
      const refused = await runScript('up', ['--runtime', 'local', '--proxy-port', String(heldPort), '--admin-port', '0', '--upstream', 'embedded-httpbin'], dir);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`error[PORT_TAKEN]: port ${heldPort} (--proxy-port) is taken (EADDRINUSE)\n`);
      expect(refused.stderr).toContain(`= fix: stop what listens there (ss -ltnp 'sport = :${heldPort}'`);
      expect(refused.stderr).toContain('npm run up -- --any-port');
      expect(existsSync(paths.stateFile)).toBe(false);
      up = await runScript('up', ['--runtime', 'local', '--proxy-port', String(heldPort), '--admin-port', '0', '--upstream', 'embedded-httpbin', '--any-port'], dir);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    expect(up.exitCode, up.stderr).toBe(0);
    // Folded to 80 columns (stdout is not a terminal here).
    expect(up.stdout.replace(/\s+/g, ' ')).toContain(`Note port ${heldPort} (proxy) was taken (EADDRINUSE), so a free port was used instead (--any-port)`);
    const rec = record(dir);
    expect(new URL(rec.proxyUrl).port).not.toBe(String(heldPort));
    expect(rec.upstream.kind).toBe('embedded-httpbin');
    const gateway = rec.processes.find((p) => p.role === 'gateway')!;
    const httpbin = rec.processes.find((p) => p.role === 'httpbin')!;

    process.kill(gateway.pid, 'SIGKILL');
    while (isAlive(gateway.pid)) await new Promise((resolve) => setTimeout(resolve, 50));

    const reported = await runScript('status', [], dir);
    expect(reported.exitCode).toBe(1);
    expect(reported.stdout).toContain(`gateway pid ${gateway.pid} gone`);
    expect(reported.stdout).toContain(`✗ the gateway process (pid ${gateway.pid}) is gone. Fix: npm run down, then npm run up.`);
    expect(reported.stdout).toContain('Gateway     NOT reachable');
    expect(reported.stdout).toContain('killed from outside');
    expect(await readRunningEnvironment(paths)).toBeNull();

    const down = await runScript('down', [], dir);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain(`gateway (pid ${gateway.pid}) was already gone`);
    expect(down.stdout).toContain(`stopped httpbin (pid ${httpbin.pid})`);
    expect(isAlive(httpbin.pid)).toBe(false);
    expect(existsSync(paths.stateFile)).toBe(false);
  });
});

// `npm run lab` / `npm run labs` through their library entry points, with captured output.

import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LABS_DIR, loadLabs, parseCommandArgs, runLabCommand, runLabsCommand, startLocalEnvironment, UsageError, type CommandIo, type LabEnvironment,
} from '../../harness/src/index.js';

function capture(extra: Partial<CommandIo> = {}): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: { COLUMNS: '200' }, // wide: messages read line by line do not fold
    ...extra,
    out: () => out,
    err: () => err,
  };
}

describe('parseCommandArgs', () => {
  it('reads a lab and the options', () => {
    expect(parseCommandArgs(['3', '--keep', '--junit', 'r.xml', '--json'], 'lab')).toMatchObject({
      selector: '3', keep: true, runtime: 'auto', junit: 'r.xml', json: true, upstream: 'auto',
    });
    expect(parseCommandArgs(['--runtime', 'external', '--proxy-url', 'http://gw:8000', '--admin-url', 'http://gw:8001'], 'labs')).toMatchObject({
      selector: null, runtime: 'external', proxyUrl: 'http://gw:8000', adminUrl: 'http://gw:8001',
    });
  });

  it('says what to type instead', () => {
    expect(() => parseCommandArgs([], 'lab')).toThrow(/Give exactly one lab, by number or slug/);
    expect(() => parseCommandArgs(['3', '--runtime', 'external'], 'lab')).toThrow(/needs both --proxy-url URL and --admin-url URL/);
    expect(() => parseCommandArgs(['3', '--proxy-url', 'http://x'], 'lab')).toThrow(/go with --runtime external/);
    expect(() => parseCommandArgs(['3', '--runtime', 'docker'], 'lab')).toThrow(/--runtime: the runtime must be local, containers or external \(or auto\), not "docker"/);
    expect(() => parseCommandArgs(['3', '--colour'], 'lab')).toThrow(UsageError);
    expect(() => parseCommandArgs(['3'], 'labs')).toThrow(/for one lab use: npm run lab 3/);
    expect(() => parseCommandArgs(['--keep'], 'labs')).toThrow(/--keep is for one lab/);
  });
});

describe('npm run lab: errors before anything starts', () => {
  it('an unknown lab lists the labs, exit code 2', async () => {
    const io = capture();
    expect(await runLabCommand(['consumer3'], io)).toBe(2);
    expect(io.err()).toMatch(/^error\[LAB_UNKNOWN\]: unknown lab "consumer3"\n {2}The labs:\n {5}1 {2}01-plain-route/);
    expect(io.err()).toMatch(/\n = fix: did you mean consumer1 \(npm run lab 3\) or consumer2 \(npm run lab 4\) or request-transformer-consumer \(npm run lab 10\)\? Give a lab number or slug/);
    expect(io.out()).toBe('');
  });

  it('--help prints the usage', async () => {
    const io = capture();
    expect(await runLabCommand(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: npm run lab <number\|slug>/);
  });
});

describe('the commands against a gateway', () => {
  let env: LabEnvironment | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lab-command-'));

  beforeAll(async () => {
    env = await startLocalEnvironment();
  });
  afterAll(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run lab 3 --runtime external --verbose: sync report, walk-through, exit 0', async () => {
    const io = capture();
    const code = await runLabCommand(['3', '--verbose', '--runtime', 'external', '--proxy-url', env!.proxyUrl, '--admin-url', env!.adminUrl], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('Lab 3 · consumer1 created');
    expect(out).toMatch(/Summary:\n {2}Created: \d+\n {2}Updated: \d+\n {2}Deleted: \d+\n/);
    expect(out).toContain(`$ curl --head ${env!.proxyUrl}/key-auth-route/get -H 'apikey:123456'`);
    expect(out).toMatch(/Lab 3 passed: 6 of 6 checks/);
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('--json keeps stdout machine-readable, --junit writes the file, --keep prints what to try by hand', async () => {
    const junit = join(dir, 'reports', 'lab2.xml');
    const io = capture({ waitForStop: () => Promise.resolve() });
    const code = await runLabCommand(['key-auth-enabled', '--json', '--junit', junit, '--keep', '--runtime', 'external', '--proxy-url', env!.proxyUrl, '--admin-url', env!.adminUrl], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ passed: true, summary: { labs: 1, checks: 2, checksPassed: 2 } });
    expect(report.labs[0].checks[0].response).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Key' } });
    expect(io.err()).toContain('Lab 2 · Key authentication enabled');
    expect(io.err()).toContain(`export DATA_PLANE_LB=${env!.proxyUrl}`);
    expect(io.err()).toContain(`  curl -i ${env!.proxyUrl}/key-auth-route/get -H 'apikey:123456'`);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="02-key-auth-enabled: Key authentication enabled" tests="2" failures="0"/);
  });

  it('npm run labs: every lab on one environment, one summary', async () => {
    // The external runtime runs no tcp-log sink, so lab 13 (checked in the sink) would fail there by design.
    const labsDir = join(dir, 'labs-without-a-sink');
    cpSync(DEFAULT_LABS_DIR, labsDir, { recursive: true });
    rmSync(join(labsDir, '13-tcp-log-consumer'), { recursive: true, force: true });
    const io = capture({ labsDir });
    const code = await runLabsCommand(['--runtime', 'external', '--proxy-url', env!.proxyUrl, '--admin-url', env!.adminUrl], io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/Summary\n {2}✓ {2}1 {2}01-plain-route/);
    // An external gateway is one node as far as the kit knows: the labs of several nodes are skipped, saying why.
    const scaled = loadLabs().filter((lab) => lab.nodes > 1).length;
    const ran = loadLabs().length - 1 - scaled; // lab 13 is not in the copy
    expect(io.out()).toMatch(new RegExp(`${ran} of ${ran} labs run passed \\(${scaled} skipped\\) · (\\d+) of \\1 checks passed`));
  }, 120_000);

  it('a failing check makes the exit code 1', async () => {
    // A copy of the labs where lab 3 ships lab 2's declaration: consumer1 does not exist, so its checks fail.
    const labsDir = join(dir, 'labs');
    cpSync(DEFAULT_LABS_DIR, labsDir, { recursive: true });
    copyFileSync(join(labsDir, '02-key-auth-enabled', 'key-auth.yaml'), join(labsDir, '03-consumer1', 'key-auth.yaml'));
    const io = capture({ labsDir });
    expect(await runLabCommand(['3', '--runtime', 'external', '--proxy-url', env!.proxyUrl, '--admin-url', env!.adminUrl], io)).toBe(1);
    expect(io.out()).toMatch(/✗ consumer1's key opens the route/);
    // The temporary copy's long path goes on the next line in 80 columns.
    expect(io.out()).toMatch(/✗ status: expected 200, got 401 Unauthorized\s+\S*03-consumer1\/lab\.yaml:16/);
    expect(io.out()).toMatch(/Lab 3 failed: \d of 6 checks/);
  });

  it('a gateway that does not answer is a clear error, exit code 1', async () => {
    const io = capture();
    expect(await runLabCommand(['2', '--runtime', 'external', '--proxy-url', 'http://127.0.0.1:9', '--admin-url', 'http://127.0.0.1:9'], io)).toBe(1);
    expect(io.err()).toMatch(/^error\[ENVIRONMENT_UNREACHABLE\]: cannot use .*127\.0\.0\.1:9/);
    expect(io.err()).toContain('= note: could not prepare the environment');
  });
});

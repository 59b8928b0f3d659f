// npm run lab / labs / goto as attendees and instructors meet them: a broken lab file elsewhere does
// not get in the way, `labs` leaves a class environment alone, output fits an 80-column terminal.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomIo } from '../../src/classroom/index.js';
import { gotoCommand, runCommand } from '../../src/cli/commands/index.js';
import { runLabCommand, runLabsCommand, type CommandIo } from '../../src/cli/index.js';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { DEFAULT_LABS_DIR, loadLabs } from '../../src/spec/discover.js';
import { runScript, stateDirTracker, status } from '../classroom/scripts.js';

const stateDirs = stateDirTracker();
const scratch = mkdtempSync(join(tmpdir(), 'labkit-cli-'));
let env: LabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
});
afterAll(async () => {
  await env?.close();
  await stateDirs.cleanUp();
  rmSync(scratch, { recursive: true, force: true });
});

function capture(extra: Partial<CommandIo> = {}): CommandIo & ClassroomIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    // Wide, so that messages read line by line do not fold (tests of folding set COLUMNS themselves).
    env: { LABKIT_STATE_DIR: stateDirs.next(), NO_COLOR: '1', COLUMNS: '200' },
    ...extra,
    out: () => out,
    err: () => err,
  };
}

const external = () => ['--runtime', 'external', '--proxy-url', env.proxyUrl, '--admin-url', env.adminUrl];

describe('a broken lab file', () => {
  const labsDir = join(scratch, 'labs');
  beforeAll(() => {
    cpSync(DEFAULT_LABS_DIR, labsDir, { recursive: true });
    // The external runtime runs no tcp-log sink: lab 13, checked in the sink, would fail there by design.
    rmSync(join(labsDir, '13-tcp-log-consumer'), { recursive: true, force: true });
    mkdirSync(join(labsDir, '99-x'));
    writeFileSync(join(labsDir, '99-x', 'lab.yaml'), 'title: x\nchecks: [\n');
  });

  it('does not block goto 3 or lab 3; goto 99 names the file and its problem (exit 2)', async () => {
    const goto = capture({ labsDir });
    expect(await runCommand(gotoCommand, ['3', '--admin-url', env.adminUrl, '--proxy-url', env.proxyUrl], goto), goto.err()).toBe(0);
    expect(goto.out()).toContain('Now at lab 3 (03-consumer1)');

    const lab = capture({ labsDir });
    expect(await runLabCommand(['3', ...external()], lab), lab.err()).toBe(0);
    expect(lab.out()).toMatch(/Lab 3 passed: 6 of 6 checks/);

    const broken = capture({ labsDir });
    expect(await runCommand(gotoCommand, ['99', '--admin-url', env.adminUrl], broken)).toBe(2);
    expect(broken.err()).toMatch(/^error\[LAB_FILE_INVALID\]: YAML syntax error: .*\n --> \S*99-x\/lab\.yaml:\d+:\d+\n/);
  });

  it('npm run labs runs every other lab and names the broken one (exit 2)', { timeout: 120_000 }, async () => {
    const io = capture({ labsDir });
    expect(await runLabsCommand(external(), io)).toBe(2);
    // An external gateway is one node as far as the kit knows: the labs of several nodes are skipped, with the reason.
    // The copy has no lab 13 (see above).
    const all = loadLabs().length - 1;
    const scaled = loadLabs().filter((lab) => lab.nodes > 1).length;
    expect(scaled).toBeGreaterThan(0);
    expect(io.out()).toMatch(new RegExp(`Summary\n(  ✓ .*\n){${all - scaled}}  – 15 +15-three-nodes-local-policy +skipped: needs 3 gateway nodes`));
    expect(io.out()).toContain(`${all - scaled} of ${all - scaled} labs run passed (${scaled} skipped)`);
    expect(io.err()).toMatch(/^error\[LAB_FILE_INVALID\]: YAML syntax error: .*\n --> \S*99-x\/lab\.yaml:\d+:\d+\n/);
    expect(io.err()).toContain('= note: lab 99 (99-x) was not run');
  });
});

describe('output for people', () => {
  it('fits 80 columns; a passed check is one line, --verbose shows every expectation with its file:line', async () => {
    const concise = capture();
    concise.env.COLUMNS = '80';
    expect(await runLabCommand(['5', ...external()], concise)).toBe(0);
    const lines = concise.out().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines).toContain('✓ consumer1 gets 5 requests a minute, then 429  → 5 × 200, then 429');
    expect(concise.out()).not.toMatch(/lab\.yaml:\d+/);

    const verbose = capture();
    verbose.env.COLUMNS = '80';
    expect(await runLabCommand(['5', '--verbose', ...external()], verbose)).toBe(0);
    for (const line of verbose.out().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(verbose.out()).toMatch(/✓ request 6: status: 429 {2}labs\/05-rate-limits\/lab\.yaml:28/);
  });

  it('repeats the failed checks at the end', async () => {
    const labsDir = join(scratch, 'failing');
    cpSync(DEFAULT_LABS_DIR, labsDir, { recursive: true });
    cpSync(join(labsDir, '02-key-auth-enabled', 'key-auth.yaml'), join(labsDir, '03-consumer1', 'key-auth.yaml'));
    const io = capture({ labsDir });
    expect(await runLabCommand(['3', ...external()], io)).toBe(1);
    // A passed check stays one line; the failed one shows its request and the answer with every header.
    expect(io.out()).toMatch(/\n✓ a wrong key gets 401  → 401 Unauthorized\n/);
    expect(io.out()).toMatch(/✗ consumer1's key opens the route\s+\S*03-consumer1\/lab\.yaml:8\n(.*\n)*? {4}\$ curl --head \S+ -H 'apikey:123456'\n(.*\n)*? {4}HTTP\/1\.1 401 Unauthorized\n( {4}[A-Z][\w-]*: .*\n)*? {4}WWW-Authenticate: Key\n/);
    const [, after] = io.out().split(/Lab 3 failed: .*\n/);
    expect(after).toMatch(/^\nFailed:\n✗ Lab 3 · consumer1's key opens the route\s+\S*03-consumer1\/lab\.yaml:8\n {4}✗ status: expected 200, got 401 Unauthorized\s+\S*03-consumer1\/lab\.yaml:16\n/);
    expect(after).toContain('✗ Lab 3 · httpbin learns which consumer called');
  });

  it('an unknown lab suggests the closest ones (exit 2)', async () => {
    const io = capture();
    expect(await runLabCommand(['rate-limit'], io)).toBe(2);
    expect(io.err()).toMatch(/^error\[LAB_UNKNOWN\]: unknown lab "rate-limit"\n/);
    expect(io.err()).toContain('= fix: did you mean rate-limits (npm run lab 5) or route-rate-limit (npm run lab 14)?');
    const typo = capture();
    expect(await runLabCommand(['3x'], typo)).toBe(2);
    expect(typo.err()).toMatch(/^error\[LAB_UNKNOWN\]: unknown lab "3x"\n/);
    expect(typo.err()).toContain('did you mean consumer1 (npm run lab 3)?');
    const slug = capture();
    expect(await runLabCommand(['consumr1'], slug)).toBe(2);
    expect(slug.err()).toMatch(/^error\[LAB_UNKNOWN\]: unknown lab "consumr1"\n/);
    expect(slug.err()).toContain('did you mean consumer1 (npm run lab 3)');
  });

  it('--verbose shows the real request and the answer as curl -i prints it; the sync shows the key tail as …23456', async () => {
    const io = capture();
    io.env.COLUMNS = '80';
    expect(await runLabCommand(['3', '--verbose', ...external()], io), io.err()).toBe(0);
    const out = io.out();
    expect(out).toContain('creating key-auth …23456 for consumer consumer1');
    expect(out).toContain(`    $ curl -i ${env.proxyUrl}/key-auth-route/get -H 'apikey:123456'`);
    // Every header, not only those the lab checks (it checks none of these here), then the body, pretty.
    const answer = out.slice(out.indexOf('✓ httpbin learns which consumer called'));
    expect(answer).toMatch(/\n {4}HTTP\/1\.1 200 OK\n( {4}[A-Z][\w-]*: .*\n)+\n {4}\{\n/);
    expect(answer).toMatch(/\n {4}X-Kong-Request-Id: [0-9a-f]+\n/);
    expect(answer).toContain('\n        "X-Consumer-Username": "consumer1",\n');
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('--junit into a folder that does not exist yet: created, the report written', async () => {
    const file = join(scratch, 'reports', 'nested', 'lab1.xml');
    const io = capture();
    expect(await runLabCommand(['1', '--junit', file, ...external()], io), io.err()).toBe(0);
    expect(io.out()).toContain(`JUnit report written to ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/<testsuite name="01-plain-route: The plain route" tests="\d+" failures="0" errors="0" skipped="0"/);
  });
});

describe('npm run labs beside a class environment', () => {
  it('uses an environment of its own: the class stays at its lab', { timeout: 180_000 }, async () => {
    const dir = stateDirs.next();
    const up = await runScript('up', ['--runtime', 'local', '--proxy-port', '0', '--admin-port', '0', '--upstream', 'embedded-httpbin'], dir);
    expect(up.exitCode, up.stderr).toBe(0);
    expect((await runScript('goto', ['3'], dir)).exitCode).toBe(0);

    const labs = await runScript('labs', ['--runtime', 'local', '--upstream', 'embedded-httpbin'], dir);
    expect(labs.exitCode, labs.stderr).toBe(0);
    expect(labs.stdout).not.toContain('using the environment of npm run up');
    const after = await status(dir);
    expect(after.json.health.applied).toMatchObject({ state: 'current', record: { lab: '03-consumer1' } });

    const down = await runScript('down', [], dir);
    expect(down.exitCode, down.stderr).toBe(0);
  });

  it('--use-class without a class environment says so and starts nothing (exit 1)', async () => {
    const io = capture();
    expect(await runLabsCommand(['--use-class', '--runtime', 'local'], io)).toBe(1);
    expect(io.err()).toMatch(/^error\[NO_ENVIRONMENT\]: --use-class: no environment of npm run up answers .*\n/);
    expect(io.err()).toContain('= fix: start one with npm run up, or leave out --use-class');
    expect(io.out()).not.toContain('starting httpbin');
  });
});

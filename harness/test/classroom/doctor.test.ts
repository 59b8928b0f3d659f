// npm run doctor: one OK/WARN/FAIL line per finding, each WARN and FAIL with its fix.

import { createServer, type Server } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showDoctorChecks } from '../../src/classroom/commands/doctor.js';
import type { ClassroomIo } from '../../src/classroom/commands/io.js';
import { temporaryStateDir } from './scripts.js';

const LINE = /^(OK|WARN|FAIL) {2,}[^:]+: \S/;

let taken: Server;
let takenPort: number;
let freePortNumber: number;
const stateDir = temporaryStateDir();

async function listen(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  taken = await listen();
  takenPort = (taken.address() as { port: number }).port;
  const released = await listen();
  freePortNumber = (released.address() as { port: number }).port;
  await new Promise<void>((resolve) => released.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  rmSync(stateDir, { recursive: true, force: true });
});

async function doctor(env: NodeJS.ProcessEnv): Promise<{ code: number; lines: string[] }> {
  let text = '';
  const io: ClassroomIo = { stdout: { write: (chunk: string) => (text += chunk), isTTY: true }, stderr: { write: () => true }, env };
  const code = await showDoctorChecks(io, { ports: [takenPort, freePortNumber], probeTimeoutMs: 1_500 });
  return { code, lines: text.trimEnd().split('\n') };
}

describe('npm run doctor', () => {
  it('prints one OK/WARN/FAIL line per check; a taken port and an absent Docker are WARN with their fix', async () => {
    const { code, lines } = await doctor({ NO_COLOR: '1', LABKIT_STATE_DIR: stateDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock', COLUMNS: '1000' });
    for (const line of lines) expect(line).toMatch(LINE);
    for (const line of lines.filter((l) => !l.startsWith('OK'))) expect(line).toContain(' — fix: ');
    expect(lines.map((line) => line.replace(/^\S+ +/, '').split(':')[0])).toEqual([
      'Node.js',
      'npm packages',
      `port ${takenPort}`,
      `port ${freePortNumber}`,
      'Docker',
      'images',
      'Debian httpbin',
      'redis-server',
      'curl',
      'runtime',
      'environment',
    ]);
    expect(lines[0]).toMatch(/^OK {4}Node\.js: v\d+/);
    expect(lines[2]).toMatch(new RegExp(`^WARN  port ${takenPort}: taken on 127\\.0\\.0\\.1 \\(EADDRINUSE\\).* — fix: stop what listens there`));
    expect(lines[3]).toBe(`OK    port ${freePortNumber}: free on 127.0.0.1`);
    expect(lines[4]).toMatch(/^WARN  Docker: no usable Docker at unix:\/\/\/nonexistent\/docker\.sock: no such socket \(asked GET \/_ping, 1\.5 s limit\).* — fix: start Docker/);
    expect(lines[5]).toMatch(/^WARN  images: cannot tell without Docker — fix: /);
    expect(lines[6]).toMatch(/^(OK|WARN) +Debian httpbin: /);
    expect(lines[7]).toMatch(/^(OK {4}redis-server: installed|WARN  redis-server: not installed: the labs that need a Redis \(policy: redis\) are skipped — fix: apt-get install -y redis-server)/);
    expect(lines[8]).toMatch(/^(OK {4}curl: \/\S+curl \(|WARN  curl: not installed.* — fix: apt-get install -y curl$)/);
    expect(lines[9]).toBe('OK    runtime: npm run up would use local (no usable Docker at unix:///nonexistent/docker.sock: no such socket (asked GET /_ping, 1.5 s limit))');
    expect(lines[10]).toMatch(/^OK {4}environment: none running/);
    expect(code).toBe(0);
  });

  it('in an 80-column terminal, a long finding continues under its text', async () => {
    const { lines } = await doctor({ NO_COLOR: '1', LABKIT_STATE_DIR: stateDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock', COLUMNS: '80' });
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const continued = lines.filter((line) => !/^(OK|WARN|FAIL) /.test(line));
    expect(continued.length).toBeGreaterThan(0);
    for (const line of continued) expect(line).toMatch(/^ {6}\S/);
  });

  it('fails, with the fix, when the state file is not one the kit wrote', async () => {
    writeFileSync(join(stateDir, 'environment.json'), '{"not": "ours"}');
    try {
      const { code, lines } = await doctor({ NO_COLOR: '1', LABKIT_STATE_DIR: stateDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock', COLUMNS: '1000' });
      expect(lines.at(-1)).toMatch(/^FAIL  environment: .*environment\.json is not an environment record this lab kit wrote.* — fix: delete /);
      expect(code).toBe(1);
    } finally {
      rmSync(join(stateDir, 'environment.json'));
    }
  });

  it('colours the level only on a terminal without NO_COLOR', async () => {
    const coloured = await doctor({ LABKIT_STATE_DIR: stateDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(coloured.lines[0]).toMatch(/^\u001b\[32mOK {2}\u001b\[39m/);
  });
});

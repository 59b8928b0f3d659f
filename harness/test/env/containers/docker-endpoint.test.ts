import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeProbe, probeDocker, resolveDockerEndpoint } from '../../../src/env/containers/docker-endpoint.js';
import { chooseRuntime, describeRuntimeChoice, parseRuntimeRequest } from '../../../src/env/runtime-choice.js';

const dir = mkdtempSync(join(tmpdir(), 'labkit-docker-probe-'));
const silentSocket = join(dir, 'silent.sock');
const pingSocket = join(dir, 'ping.sock');
let silent: NetServer;
let ping: Server;
const held: Socket[] = [];

beforeAll(async () => {
  // A daemon that accepts and never answers: the case that hangs testcontainers forever.
  silent = createNetServer((socket) => held.push(socket));
  ping = createHttpServer((req, res) => {
    if (req.url === '/_ping') res.end('OK');
    else if (req.url === '/version') res.end(JSON.stringify({ Version: '99.1.2' }));
    else res.writeHead(404).end();
  });
  await Promise.all([
    new Promise<void>((resolve) => silent.listen(silentSocket, resolve)),
    new Promise<void>((resolve) => ping.listen(pingSocket, resolve)),
  ]);
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await Promise.all([new Promise((resolve) => silent.close(resolve)), new Promise((resolve) => ping.close(resolve))]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the Docker endpoint', () => {
  it('is DOCKER_HOST when set; tcp endpoints other than loopback are not local', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/x.sock' })).toEqual({ uri: 'unix:///tmp/x.sock', source: 'DOCKER_HOST', local: true });
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }).local).toBe(true);
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://build-host:2375' }).local).toBe(false);
    expect(resolveDockerEndpoint({}).uri).toMatch(/^unix:\/\//);
  });
});

describe('probing Docker before anything else talks to it', () => {
  it('answers ok with the version when GET /_ping says OK', async () => {
    const result = await probeDocker({ env: { DOCKER_HOST: `unix://${pingSocket}` } });
    expect(result).toMatchObject({ ok: true, version: '99.1.2' });
    expect(describeProbe(result)).toBe(`Docker 99.1.2 answered at unix://${pingSocket}`);
  });

  it('gives up on a daemon that accepts and never answers, with that reason', async () => {
    const result = await probeDocker({ timeoutMs: 300, env: { DOCKER_HOST: `unix://${silentSocket}` } });
    expect(result).toMatchObject({ ok: false, reason: 'no answer in time' });
  });

  it('says why when nothing listens', async () => {
    const refused = await probeDocker({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.reason).toMatch(/connection refused/);
    const missing = await probeDocker({ env: { DOCKER_HOST: `unix://${join(dir, 'absent.sock')}` } });
    expect(missing.ok ? '' : missing.reason).toBe('no such socket');
  });
});

describe('choosing the runtime', () => {
  it('takes containers when Docker answers and local when it does not, saying why in one line', async () => {
    const containers = await chooseRuntime('auto', { env: { DOCKER_HOST: `unix://${pingSocket}` } });
    expect(containers.runtime).toBe('containers');
    expect(describeRuntimeChoice(containers)).toBe(`runtime: containers (Docker 99.1.2 answered at unix://${pingSocket})`);

    const local = await chooseRuntime('auto', { probeTimeoutMs: 300, env: { DOCKER_HOST: `unix://${silentSocket}` } });
    expect(local.runtime).toBe('local');
    expect(describeRuntimeChoice(local)).toBe(
      `runtime: local (no usable Docker at unix://${silentSocket}: no answer in time (asked GET /_ping, 0.3 s limit))`,
    );
  });

  it('does what it is told without probing', async () => {
    for (const runtime of ['local', 'containers', 'external'] as const) {
      expect(await chooseRuntime(runtime, { env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } })).toEqual({ runtime, reason: `--runtime ${runtime}` });
    }
  });

  it('accepts only the runtimes it knows', () => {
    expect(parseRuntimeRequest(undefined)).toBe('auto');
    expect(parseRuntimeRequest('containers')).toBe('containers');
    expect(() => parseRuntimeRequest('kubernetes')).toThrow(/local, containers or external/);
  });
});

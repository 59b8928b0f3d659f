import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startContainerEnvironment,
  WORKSHOP_HTTPBIN_ALIAS,
  type ContainerLabEnvironment,
} from '../../../src/env/containers/container-environment.js';
import { removeLeftovers } from '../../../src/env/containers/docker-resources.js';
import { dockerRequirement } from '../../../src/env/containers/requirements.js';
import { dockerode, environmentResources } from './docker-state.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-and-wait.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The first start on a new machine may build the images (debootstrap: minutes).
const FIRST_START_TIMEOUT_MS = 600_000;

const docker = await dockerRequirement();

// The workshop's first declaration, as JSON for POST /config: the upstream is named exactly as in
// Kubernetes; no override tells the gateway where it is.
const WORKSHOP_CONFIG = {
  _format_version: '3.0',
  services: [
    {
      name: 'httpbin-service',
      host: WORKSHOP_HTTPBIN_ALIAS,
      port: 8000,
      routes: [{ name: 'httpbin-route', paths: ['/key-auth-route'] }],
    },
  ],
};

describe.skipIf(docker.skip)(docker.skip ? `container environment — skipped: ${docker.reason}` : 'container environment', () => {
  let env: ContainerLabEnvironment;
  const progress: string[] = [];

  beforeAll(async () => {
    env = await startContainerEnvironment({ onProgress: (message) => progress.push(message) });
  }, FIRST_START_TIMEOUT_MS);

  afterAll(async () => {
    await env?.close();
  });

  it('publishes the proxy and the Admin API on loopback, and says when it is ready', async () => {
    expect(env.runtime).toBe('containers');
    expect(env.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(progress.at(-1)).toMatch(/^ready in /);
    const status = await request(`${env.adminUrl}/status`);
    expect(status.statusCode).toBe(200);
    expect(await status.body.json()).toHaveProperty('configuration_hash');

    const inspected = await (await dockerode()).getContainer(env.containers.gateway).inspect();
    for (const port of ['8000/tcp', '8001/tcp']) {
      expect(inspected.NetworkSettings.Ports[port]?.map((binding) => binding.HostIp)).toEqual(['127.0.0.1']);
    }
    expect(inspected.Config.Env).toContain('KONG_ADMIN_LISTEN=0.0.0.0:8001');
    // httpbin is reached through its network alias; the only override points tcp-log's name at the harness's sink.
    const overrides = inspected.Config.Env.filter((variable) => variable.startsWith('KONG_UPSTREAM_OVERRIDES='));
    expect(overrides).toEqual([expect.stringMatching(/^KONG_UPSTREAM_OVERRIDES=tcp-log\.kong\.svc\.cluster\.local:9000=\d+\.\d+\.\d+\.\d+:\d+$/)]);
    expect(env.tcpLogSink?.readUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("puts its containers on the environment's own network, httpbin under the workshop's name", async () => {
    const docker = await dockerode();
    const network = await docker.getNetwork(env.network).inspect();
    const members = Object.values(network.Containers ?? {}).map((container) => (container as { Name: string }).Name);
    expect(members.sort()).toEqual([`${env.network}-gateway`, `${env.network}-httpbin`, `${env.network}-redis`]);
    const httpbin = await docker.getContainer(env.containers.httpbin).inspect();
    expect(Object.keys(httpbin.NetworkSettings.Networks)).toEqual([env.network]);
    expect(httpbin.NetworkSettings.Networks[env.network].Aliases).toContain(WORKSHOP_HTTPBIN_ALIAS);
  });

  it('proxies to httpbin.kong.svc.cluster.local:8000 with the declaration unchanged', async () => {
    const load = await request(`${env.adminUrl}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WORKSHOP_CONFIG),
    });
    await load.body.dump();
    expect(load.statusCode).toBe(201);

    const proxied = await request(`${env.proxyUrl}/key-auth-route/get`);
    expect(proxied.statusCode).toBe(200);
    expect(proxied.headers.server).toBe('gunicorn');
    const body = (await proxied.body.json()) as { url: string; headers: Record<string, string> };
    expect(body.url).toBe(`http://${WORKSHOP_HTTPBIN_ALIAS}:8000/get`);
    expect(body.headers.Host).toBe(`${WORKSHOP_HTTPBIN_ALIAS}:8000`);
  });

  it('serves httpbin itself on a published port too', async () => {
    const response = await request(`${env.upstream.url}/get`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.server).toBe('gunicorn');
    await response.body.dump();
  });
});

describe.skipIf(docker.skip)(docker.skip ? `container teardown — skipped: ${docker.reason}` : 'container teardown', () => {
  it('close() removes every container and the network, and a second close() is harmless', async () => {
    const env = await startContainerEnvironment();
    expect((await environmentResources(env.environmentId)).containers).toHaveLength(3);
    await env.close();
    await env.close();
    expect(await environmentResources(env.environmentId)).toEqual({ containers: [], networks: [] });
  }, FIRST_START_TIMEOUT_MS);

  async function startInChild() {
    const child = execa(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: REPO_ROOT,
      reject: false,
      buffer: false,
      stdout: 'pipe',
      stderr: 'ignore',
    });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    return { child, started: JSON.parse(line) as { environmentId: string; network: string } };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)('removes everything when the harness gets %s', async (signal) => {
    const { child, started } = await startInChild();
    expect((await environmentResources(started.environmentId)).containers).toHaveLength(3);
    child.kill(signal);
    const result = await child;
    expect(result.signal).toBe(signal);
    expect(await environmentResources(started.environmentId)).toEqual({ containers: [], networks: [] });
  }, FIRST_START_TIMEOUT_MS);

  it('leaves a killed run\'s containers to the next start, which removes them (and nothing of a live run)', async () => {
    const { child, started } = await startInChild();
    const live = await startInChild();
    try {
      child.kill('SIGKILL');
      await child;
      // kill -9: no handler ran, so everything is still there…
      expect((await environmentResources(started.environmentId)).containers).toHaveLength(3);
      expect((await environmentResources(started.environmentId)).networks).toEqual([started.network]);

      // …until the next start looks for leftovers.
      const removed = await removeLeftovers(await dockerode());
      expect(removed.containers).toBeGreaterThanOrEqual(3);
      expect(removed.networks).toBeGreaterThanOrEqual(1);
      expect(await environmentResources(started.environmentId)).toEqual({ containers: [], networks: [] });
      expect((await environmentResources(live.started.environmentId)).containers).toHaveLength(3);
    } finally {
      live.child.kill('SIGTERM');
      await live.child;
    }
    expect(await environmentResources(live.started.environmentId)).toEqual({ containers: [], networks: [] });
  }, FIRST_START_TIMEOUT_MS);
});

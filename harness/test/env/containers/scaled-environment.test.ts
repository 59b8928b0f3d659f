// The containers runtime scaled out (runs where Docker answers; LABKIT_REQUIRE_DOCKER=1 fails instead of
// skipping): three gateway containers behind the harness's per-connection balancer, and the Redis container
// under the workshop's name, its redis-server started on demand by the first `policy: redis` sync. The
// scale-out labs pass as on the local runtime (15 of 30 through with the local policy, exactly 5 with
// redis), the Redis outage proxies without rate-limit headers (fault_tolerant), and close() leaves nothing.

import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContainerEnvironment, type ContainerLabEnvironment } from '../../../src/env/containers/container-environment.js';
import { WORKSHOP_REDIS_ALIAS } from '../../../src/env/containers/redis-container.js';
import { dockerRequirement } from '../../../src/env/containers/requirements.js';
import { answersPing } from '../../../src/redis/redis-server.js';
import { syncAndRunLab } from '../../../src/session/sync-and-run.js';
import { findLab, loadLabs } from '../../../src/spec/discover.js';
import { dockerode, environmentResources } from './docker-state.js';
import { refusesConnections } from '../processes.js';

// The first start on a new machine may build the images (debootstrap: minutes).
const FIRST_START_TIMEOUT_MS = 600_000;
const docker = await dockerRequirement();
const labs = loadLabs();

async function redisKeys(env: ContainerLabEnvironment): Promise<string[]> {
  const client = new Redis({ host: env.redis.host, port: env.redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return (await client.keys('*')).sort();
  } finally {
    client.disconnect();
  }
}

/** One request on a connection of its own (as each curl is), so the balancer hands it to the next node. */
async function curl(url: string): Promise<{ status: number; limited: boolean }> {
  const response = await request(url, { reset: true });
  await response.body.dump();
  return { status: response.statusCode, limited: response.headers['x-ratelimit-limit-minute'] !== undefined };
}

describe.skipIf(docker.skip)(docker.skip ? `containers runtime with 3 nodes and Redis — skipped: ${docker.reason}` : 'containers runtime with 3 nodes and Redis', () => {
  let env: ContainerLabEnvironment;

  beforeAll(async () => {
    env = await startContainerEnvironment({ nodes: 3 });
  }, FIRST_START_TIMEOUT_MS);

  afterAll(async () => {
    await env?.close();
  });

  it('runs three gateway containers with the same settings, node 1 the Admin API, the balancer the proxy', async () => {
    expect(env.nodes).toHaveLength(3);
    expect(env.containers.nodes).toHaveLength(3);
    expect(env.containers.gateway).toBe(env.containers.nodes[0]);
    expect(env.adminUrl).toBe(env.nodes[0].adminUrl);
    expect(env.nodes.map((node) => node.proxyUrl)).not.toContain(env.proxyUrl);
    for (const url of [env.proxyUrl, ...env.nodes.flatMap((node) => [node.proxyUrl, node.adminUrl])]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const inspected = await Promise.all(env.containers.nodes.map((id) => dockerode().then((d) => d.getContainer(id).inspect())));
    expect(new Set(inspected.map((container) => container.Config.Image)).size).toBe(1);
    const settings = inspected.map((container) => container.Config.Env.filter((variable) => variable.startsWith('KONG_')).sort().join('\n'));
    expect(new Set(settings).size).toBe(1);
    expect(inspected.map((container) => container.Config.Labels['dev.kong-labkit.role'])).toEqual(['gateway', 'gateway', 'gateway']);
  });

  it("puts the Redis container on the network under the workshop's name, published on loopback, redis-server not started yet", async () => {
    const redis = await (await dockerode()).getContainer(env.containers.redis).inspect();
    expect(redis.State.Status).toBe('running');
    expect(redis.NetworkSettings.Networks[env.network].Aliases).toContain(WORKSHOP_REDIS_ALIAS);
    expect(redis.NetworkSettings.Ports['6379/tcp']?.map((binding) => binding.HostIp)).toEqual(['127.0.0.1']);
    expect(env.redis.host).toBe('127.0.0.1');
    expect(env.redis.running).toBe(false);
    expect(await answersPing(env.redis.host, env.redis.port, undefined, false)).toBe(false);
  });

  it('lab 15: each node counts alone, so exactly 15 of the curls pass', { timeout: 120_000 }, async () => {
    const { result } = await syncAndRunLab(findLab(labs, '15'), env);
    expect(result.passed, JSON.stringify(result.checks.map((check) => [check.name, check.error]))).toBe(true);
    // A local-policy declaration starts no Redis.
    expect(env.redis.running).toBe(false);
    const hashes = await Promise.all(env.nodes.map(async (node) => ((await (await request(`${node.adminUrl}/status`)).body.json()) as { configuration_hash: string }).configuration_hash));
    expect(new Set(hashes).size).toBe(1);
  });

  it('lab 16: the sync starts redis-server on demand and exactly 5 pass across the nodes, counted under Kong\'s keys', { timeout: 120_000 }, async () => {
    const { result } = await syncAndRunLab(findLab(labs, '16'), env);
    expect(result.passed, JSON.stringify(result.checks.map((check) => [check.name, check.error]))).toBe(true);
    expect(env.redis.running).toBe(true);
    expect(await answersPing(env.redis.host, env.redis.port, undefined, false)).toBe(true);
    const keys = await redisKeys(env);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => /^ratelimit:[0-9a-f-]{36}:[0-9a-f-]{36}:.+:\d+:minute$/.test(key))).toBe(true);
  });

  it('a Redis outage proxies without rate-limit headers (fault_tolerant); back, it is empty and counts again', { timeout: 60_000 }, async () => {
    await env.redis.stop();
    expect(env.redis.running).toBe(false);
    expect(await answersPing(env.redis.host, env.redis.port, undefined, false)).toBe(false);
    const during = await Promise.all(Array.from({ length: 3 }, () => curl(`${env.proxyUrl}/scaled-route/get`)));
    expect(during).toEqual(Array.from({ length: 3 }, () => ({ status: 200, limited: false })));

    await env.redis.start();
    expect(await redisKeys(env)).toEqual([]);
    // The nodes reconnect by themselves (within half a second of Redis answering): then the limit holds again.
    let after = await curl(`${env.proxyUrl}/scaled-route/get`);
    for (let attempt = 0; !after.limited && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await curl(`${env.proxyUrl}/scaled-route/get`);
    }
    expect(after).toEqual({ status: 200, limited: true });
  });

  it('close() removes every container, the network and the balancer', { timeout: 60_000 }, async () => {
    const balancerPort = Number(new URL(env.proxyUrl).port);
    expect((await environmentResources(env.environmentId)).containers).toHaveLength(5);
    await env.close();
    await env.close();
    expect(await environmentResources(env.environmentId)).toEqual({ containers: [], networks: [] });
    expect(await refusesConnections(balancerPort)).toBe(true);
  });
});

describe.skipIf(docker.skip)(docker.skip ? `containers runtime with --redis — skipped: ${docker.reason}` : 'containers runtime with --redis', () => {
  it('starts redis-server with the environment when asked', { timeout: FIRST_START_TIMEOUT_MS }, async () => {
    const env = await startContainerEnvironment({ redis: true });
    try {
      expect(env.nodes).toHaveLength(1);
      expect(env.proxyUrl).toBe(env.nodes[0].proxyUrl);
      expect(env.redis.running).toBe(true);
      expect(await answersPing(env.redis.host, env.redis.port, undefined, false)).toBe(true);
    } finally {
      await env.close();
    }
    expect(await environmentResources(env.environmentId)).toEqual({ containers: [], networks: [] });
  });
});

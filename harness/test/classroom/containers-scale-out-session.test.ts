// The scale-out session on the containers runtime through the npm scripts (runs where Docker answers;
// LABKIT_REQUIRE_DOCKER=1 fails instead of skipping): up --nodes 3 → the redis lab passes through the
// balancer, its redis-server started on demand in the Redis container → status lists the three node
// containers holding one configuration_hash → reset clears the gateway's keys in Redis and only those →
// the redis switch → down leaves no container, network, balancer or keeper behind.

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerRequirement } from '../../src/env/containers/requirements.js';
import { environmentResources } from '../env/containers/docker-state.js';
import { isAlive, refusesConnections } from '../env/processes.js';
import { record, runScript, stateDirTracker } from './scripts.js';

const docker = await dockerRequirement();
// The first start on a new machine may build the images (debootstrap: minutes).
const FIRST_START_TIMEOUT_MS = 900_000;
const stateDirs = stateDirTracker();
afterAll(() => stateDirs.cleanUp());

async function withRedis<T>(port: number, work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}

describe.skipIf(docker.skip)(docker.skip ? `npm run up -- --nodes 3 --runtime containers — skipped: ${docker.reason}` : 'npm run up -- --nodes 3 --runtime containers', () => {
  it('the redis lab passes over 3 node containers; status, reset, redis stop/start; down leaves nothing', { timeout: FIRST_START_TIMEOUT_MS }, async () => {
    const dir = stateDirs.next();
    const up = await runScript('up', ['--nodes', '3', '--runtime', 'containers', '--proxy-port', '0', '--admin-port', '0'], dir);
    expect(up.exitCode, up.stderr).toBe(0);
    const rec = record(dir);
    const balancerPort = Number(new URL(rec.proxyUrl).port);
    try {
      expect(rec.runtime).toBe('containers');
      expect(rec.nodes).toHaveLength(3);
      expect(rec.adminUrl).toBe(rec.nodes![0].adminUrl);
      expect(rec.nodes!.map((node) => node.proxyUrl)).not.toContain(rec.proxyUrl);
      expect(rec.processes.map((p) => p.role)).toEqual(['keeper']);
      expect(rec.containers!.containers.nodes).toHaveLength(3);
      expect(rec.redis).toBeDefined();
      expect((await environmentResources(rec.containers!.environmentId)).containers).toHaveLength(5);
      expect(up.stdout).toContain('3 behind a per-connection round-robin balancer');
      expect(up.stdout).toContain('starts when a declaration uses policy: redis');

      const lab = await runScript('lab', ['16'], dir);
      expect(lab.exitCode, `${lab.stdout}\n${lab.stderr}`).toBe(0);
      expect(lab.stdout).toContain('using the environment of npm run up');
      expect(lab.stdout).toContain('Lab 16 passed');
      const port = rec.redis!.port;
      expect((await withRedis(port, (client) => client.keys('ratelimit:*'))).length).toBeGreaterThan(0);

      const status = await runScript('status', ['--json'], dir);
      expect(status.exitCode, status.stdout).toBe(0);
      const health = JSON.parse(status.stdout).health;
      expect(health.nodes.each).toHaveLength(3);
      expect(health.nodes.agree).toBe(true);
      expect(health.redis).toEqual({ running: true });
      expect(health.containers.map((c: { role: string; state: string }) => `${c.role} ${c.state}`)).toEqual([
        'gateway running', 'gateway-2 running', 'gateway-3 running', 'httpbin running', 'redis running',
      ]);
      const shown = await runScript('status', [], dir);
      expect(shown.stdout).toMatch(/Redis {7}127\.0\.0\.1:\d+ .*running/);

      await withRedis(port, (client) => client.set('foreign:session', "not the gateway's"));
      const reset = await runScript('reset', [], dir);
      expect(reset.exitCode, reset.stderr).toBe(0);
      expect(reset.stdout).toMatch(/\d+ rate-limit keys? of the gateway deleted in Redis/);
      expect(reset.stdout).toContain('Every one of the 3 gateway nodes reset');
      expect(await withRedis(port, (client) => client.keys('*'))).toEqual(['foreign:session']);

      expect((await runScript('redis', ['stop'], dir)).stdout).toContain('stopped');
      expect((await runScript('redis', ['status'], dir)).stdout).toContain('not running');
      // The container stays (its name keeps resolving on the network); only redis-server is gone.
      const stopped = JSON.parse((await runScript('status', ['--json'], dir)).stdout).health;
      expect(stopped.redis).toEqual({ running: false });
      expect(stopped.problems).toEqual([]);
      expect((await runScript('redis', ['start'], dir)).stdout).toContain('Redis started');
      expect((await runScript('redis', ['status'], dir)).stdout).toContain('answers PING');
      expect(await withRedis(port, (client) => client.keys('*'))).toEqual([]);
    } finally {
      const keeper = record(dir).processes[0];
      const down = await runScript('down', [], dir);
      expect(down.exitCode, down.stderr).toBe(0);
      expect(isAlive(keeper.pid)).toBe(false);
      expect(await environmentResources(rec.containers!.environmentId)).toEqual({ containers: [], networks: [] });
      expect(await refusesConnections(balancerPort)).toBe(true);
    }
  });
});

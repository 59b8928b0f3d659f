// The scale-out session on the local runtime through the npm scripts: up --nodes 3 → the redis lab
// passes through the balancer (its Redis started on demand) → status lists the three nodes holding
// one configuration_hash → reset clears the gateway's keys in Redis and only those → the redis
// switch → down leaves no node, balancer or Redis behind.

import { join } from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { REPO_ROOT } from '../../src/classroom/paths.js';
import { afterAll, describe, expect, it } from 'vitest';
import { redisRequirement, redisServerAvailability } from '../../src/redis/index.js';
import { isAlive, processesMatching } from '../env/processes.js';
import { record, runScript, stateDirTracker } from './scripts.js';

const gate = redisRequirement(redisServerAvailability());
const stateDirs = stateDirTracker();
afterAll(() => stateDirs.cleanUp());

async function keys(port: number): Promise<string[]> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return (await client.keys('*')).sort();
  } finally {
    client.disconnect();
  }
}

async function setKey(port: number, key: string): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    await client.set(key, 'not the gateway\'s');
  } finally {
    client.disconnect();
  }
}

describe.skipIf(gate.skip)(`npm run up -- --nodes 3 --runtime local${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  it('the redis lab passes over 3 nodes; status, reset, redis stop/start; down leaves nothing', { timeout: 240_000 }, async () => {
    const dir = stateDirs.next();
    const up = await runScript('up', ['--nodes', '3', '--runtime', 'local', '--proxy-port', '0', '--admin-port', '0'], dir);
    expect(up.exitCode, up.stderr).toBe(0);
    const rec = record(dir);
    try {
      expect(rec.nodes).toHaveLength(3);
      expect(rec.adminUrl).toBe(rec.nodes![0].adminUrl);
      expect(rec.processes.map((p) => p.role).sort()).toEqual(['balancer', 'gateway', 'gateway', 'gateway', 'httpbin']);
      expect(rec.redis).toBeDefined();
      expect(up.stdout).toContain('3 behind a per-connection round-robin balancer');

      const lab = await runScript('lab', ['16'], dir);
      expect(lab.exitCode, `${lab.stdout}\n${lab.stderr}`).toBe(0);
      expect(lab.stdout).toContain('using the environment of npm run up');
      expect(lab.stdout).toContain('Lab 16 passed');
      // Lab 17 stops and starts the class environment's Redis between its checks, as `npm run redis` does by hand.
      const outage = await runScript('lab', ['17'], dir);
      expect(outage.exitCode, `${outage.stdout}\n${outage.stderr}`).toBe(0);
      expect(outage.stdout).toContain('using the environment of npm run up');
      expect(outage.stdout).toMatch(/⏵ Redis goes down/);
      expect(outage.stdout).toMatch(/all 3 nodes\s+reach it again/);
      expect(outage.stdout).toContain('Lab 17 passed');
      // Started on demand for the lab's `policy: redis`, and recorded so that down stops it.
      const withRedis = record(dir);
      const redisProcess = withRedis.processes.find((p) => p.role === 'redis');
      expect(redisProcess).toBeDefined();
      const port = withRedis.redis!.port;
      expect((await keys(port)).some((key) => key.startsWith('ratelimit:'))).toBe(true);

      const status = await runScript('status', ['--json'], dir);
      expect(status.exitCode, status.stdout).toBe(0);
      const health = JSON.parse(status.stdout).health;
      expect(health.nodes.each).toHaveLength(3);
      expect(health.nodes.agree).toBe(true);
      expect(new Set(health.nodes.each.map((node: { configurationHash: string }) => node.configurationHash)).size).toBe(1);

      // The kit's deck, typed in a shell pointed at node 1, reaches every node too.
      const deck = await execa(join(REPO_ROOT, 'bin', 'deck'), ['gateway', 'sync', '--kong-addr', rec.adminUrl, 'labs/15-three-nodes-local-policy/key-auth.yaml'], {
        cwd: REPO_ROOT, env: { LABKIT_STATE_DIR: dir, NO_COLOR: '1' }, reject: false, stdin: 'ignore', timeout: 120_000,
      });
      expect(deck.exitCode, String(deck.stderr)).toBe(0);
      const afterDeck = JSON.parse((await runScript('status', ['--json'], dir)).stdout).health;
      expect(afterDeck.nodes.agree).toBe(true);
      expect(afterDeck.nodes.each[2].configurationHash).not.toBe(health.nodes.each[2].configurationHash);

      expect((await runScript('goto', ['16'], dir)).exitCode).toBe(0);
      const counted = await fetch(`${rec.proxyUrl}/scaled-route/get`);
      expect(counted.status).toBe(200);
      expect((await keys(port)).filter((key) => key.startsWith('ratelimit:'))).toHaveLength(1);
      await setKey(port, 'foreign:session');
      const reset = await runScript('reset', [], dir);
      expect(reset.exitCode, reset.stderr).toBe(0);
      expect(reset.stdout).toContain('1 rate-limit key of the gateway deleted in Redis');
      expect(await keys(port)).toEqual(['foreign:session']);
      const afterReset = JSON.parse((await runScript('status', ['--json'], dir)).stdout).health;
      expect(afterReset.nodes.agree).toBe(true);

      expect((await runScript('redis', ['stop'], dir)).stdout).toContain('stopped');
      expect(isAlive(redisProcess!.pid)).toBe(false);
      expect((await runScript('redis', ['status'], dir)).stdout).toContain('not running');
      expect((await runScript('redis', ['start'], dir)).stdout).toMatch(/Redis started at .*, empty\. Every gateway node reached it again after \d+ ms\./);
      expect((await runScript('redis', ['status'], dir)).stdout).toContain('answers PING');
    } finally {
      const everything = record(dir).processes;
      const down = await runScript('down', [], dir);
      expect(down.exitCode, down.stderr).toBe(0);
      for (const recorded of everything) expect(isAlive(recorded.pid), `${recorded.role} pid ${recorded.pid}`).toBe(false);
      expect(processesMatching('redis-server', `127.0.0.1:${rec.redis!.port}`)).toEqual([]);
      expect(processesMatching('balancer-main.ts')).toEqual([]);
    }
  });
});

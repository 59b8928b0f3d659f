// Which labs a runtime can run: the containers runtime brings its own Redis, so a lab of `redis: true`
// never waits for redis-server there; an external gateway cannot stand for several nodes.
import { describe, expect, it } from 'vitest';
import { labNeeds, redisSkipReason } from '../../src/cli/lab-needs.js';
import { findLab, loadLabs } from '../../src/spec/index.js';

const scaled = { nodes: 3, redis: true };
// No Docker answers here, whatever the machine: auto then means local processes.
const noDocker = { DOCKER_HOST: 'tcp://127.0.0.1:1' };

describe('redisSkipReason', () => {
  it('never skips a Redis lab on the containers runtime, which runs its own', async () => {
    expect(await redisSkipReason(scaled, 'containers', noDocker)).toBeNull();
  });

  it('skips several nodes on an external gateway, naming both runtimes that run them', async () => {
    expect(await redisSkipReason(scaled, 'external', noDocker)).toBe(
      'needs 3 gateway nodes behind a per-connection balancer; run it with --runtime local or --runtime containers',
    );
  });

  it('needs nothing for a lab of one node without Redis', async () => {
    expect(await redisSkipReason({ nodes: 1, redis: false }, 'local', noDocker)).toBeNull();
  });

  it('on auto without Docker and on local, a Redis lab depends on redis-server alone', async () => {
    const onLocal = await redisSkipReason(scaled, 'local', noDocker);
    expect(await redisSkipReason(scaled, 'auto', noDocker)).toBe(onLocal);
    if (onLocal !== null) expect(onLocal).toMatch(/^needs a Redis and redis-server is not installed: .*the containers runtime runs its own\)$/);
  });
});

describe('labNeeds / redisSkipReason: a lab that stops its Redis', () => {
  const labs = loadLabs();
  const defaults = { nodes: 1, redis: false };

  it('lab 17 needs 3 nodes and a Redis it can stop; lab 16 only a Redis', () => {
    expect(labNeeds(findLab(labs, '17'), defaults)).toEqual({ nodes: 3, redis: true, stopsRedis: true });
    expect(labNeeds(findLab(labs, '16'), defaults)).toEqual({ nodes: 3, redis: true, stopsRedis: false });
  });

  it("is skipped on an external gateway, whose Redis is not the kit's to stop", async () => {
    expect(await redisSkipReason({ nodes: 1, redis: true, stopsRedis: true }, 'external', noDocker)).toBe(
      "stops and starts the environment's Redis, and an external gateway's Redis is not the kit's to stop; run it with --runtime local or --runtime containers",
    );
    expect(await redisSkipReason({ nodes: 1, redis: true, stopsRedis: false }, 'external', noDocker)).toBeNull();
  });
});

// Debian's redis-server as a child process: loopback, no persistence, killed and restarted on the
// same port, and gone after close().

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMatching, refusesConnections } from '../env/processes.js';
import { Redis } from 'ioredis';
import { redisRequirement, redisServerAvailability, startRedisServer, type RunningRedis } from '../../src/redis/index.js';

const gate = redisRequirement(redisServerAvailability());

/** Live redis-server processes serving `port` (redis-server retitles itself `redis-server host:port`). */
const serversOn = (port: number) => processesMatching('redis-server', `127.0.0.1:${port}`);

function client(redis: RunningRedis, password?: string): Redis {
  const c = new Redis({ host: redis.host, port: redis.port, password, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => undefined);
  return c;
}


describe.skipIf(gate.skip)(`startRedisServer${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  let redis: RunningRedis;

  beforeAll(async () => {
    redis = await startRedisServer({ password: 'harness-test-pass' });
  });

  afterAll(async () => {
    await redis?.close();
  });

  it('listens on loopback with a password and no persistence', async () => {
    expect(redis.host).toBe('127.0.0.1');
    expect(redis.running).toBe(true);
    const c = client(redis, 'harness-test-pass');
    try {
      expect(await c.config('GET', 'save')).toEqual(['save', '']);
      expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      expect(await c.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    } finally {
      c.disconnect();
    }
    const anonymous = client(redis);
    await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  });

  it('stop() kills it (data gone), start() brings it back empty on the same port', async () => {
    const c = client(redis, 'harness-test-pass');
    await c.set('labkit:probe', '1');
    c.disconnect();
    await redis.stop();
    expect(redis.running).toBe(false);
    expect(serversOn(redis.port)).toEqual([]);
    expect(await refusesConnections(redis.port)).toBe(true);
    await redis.start();
    expect(redis.running).toBe(true);
    const again = client(redis, 'harness-test-pass');
    try {
      expect(await again.get('labkit:probe')).toBeNull();
    } finally {
      again.disconnect();
    }
  });

  it('close() leaves no process behind', async () => {
    const other = await startRedisServer();
    expect(serversOn(other.port)).toHaveLength(1);
    await other.close();
    expect(serversOn(other.port)).toEqual([]);
    expect(await refusesConnections(other.port)).toBe(true);
    await expect(other.start()).rejects.toThrow(/closed/);
  });
});

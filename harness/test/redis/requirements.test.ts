// redisRequirement: the one rule for tests that need a real redis-server.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequiredRedisMissing, redisRequirement } from '../../src/redis/requirements.js';

const missing = { available: false as const, reason: '/usr/bin/redis-server not found' };
const present = { available: true as const, path: '/usr/bin/redis-server' };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('redisRequirement', () => {
  it('runs the tests when redis-server is installed', () => {
    expect(redisRequirement(present)).toEqual({ skip: false, reason: '' });
  });

  it('skips with a reason that says how to install it', () => {
    vi.stubEnv('LABKIT_REQUIRE_REDIS', '');
    const gate = redisRequirement(missing);
    expect(gate.skip).toBe(true);
    expect(gate.reason).toContain('redis-server not installed');
    expect(gate.reason).toContain('apt-get install -y redis-server');
    expect(gate.reason).toContain('brew install redis');
  });

  it('fails instead of skipping when LABKIT_REQUIRE_REDIS=1', () => {
    vi.stubEnv('LABKIT_REQUIRE_REDIS', '1');
    expect(() => redisRequirement(missing)).toThrow(RequiredRedisMissing);
    expect(() => redisRequirement(missing)).toThrow(/LABKIT_REQUIRE_REDIS=1 requires redis-server, but \/usr\/bin\/redis-server not found/);
    expect(redisRequirement(present).skip).toBe(false);
  });

  it('only the value 1 makes it required', () => {
    vi.stubEnv('LABKIT_REQUIRE_REDIS', 'yes');
    expect(redisRequirement(missing).skip).toBe(true);
  });
});

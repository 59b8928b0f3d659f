// A local environment asked for a Redis: the workshop's redis-stack.redis.svc.cluster.local:6379
// just works in a declaration, the Redis can be stopped and started for the outage demo, and
// close() leaves no redis-server behind.

import { refusesConnections } from './processes.js';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startLocalEnvironment } from '../../src/env/index.js';
import { redisRequirement, redisServerAvailability } from '../../src/redis/index.js';
import { ensureWindowRoom } from '../../src/docs/fresh-window.js';
import { systemClock } from '../../src/runner/clock.js';

const gate = redisRequirement(redisServerAvailability());


describe.skipIf(gate.skip)(`startLocalEnvironment({ redis: true })${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  it('starts a redis-server the workshop declaration reaches by its cluster name; close() stops it', async () => {
    const env = await startLocalEnvironment({ redis: true, upstream: 'embedded-httpbin' });
    const port = env.redis!.port;
    try {
      const declaration = {
        _format_version: '3.0',
        services: [
          {
            name: 'echo',
            url: 'http://httpbin.kong.svc.cluster.local:8000/anything',
            routes: [
              {
                name: 'limited',
                paths: ['/limited'],
                plugins: [
                  {
                    name: 'rate-limiting',
                    config: { minute: 2, policy: 'redis', fault_tolerant: true, redis: { host: 'redis-stack.redis.svc.cluster.local', port: 6379, timeout: 500 } },
                  },
                ],
              },
            ],
          },
        ],
      };
      const applied = await request(`${env.adminUrl}/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(declaration) });
      expect(applied.statusCode, await applied.body.text()).toBe(201);
      await ensureWindowRoom('minute', systemClock, 10_000);
      const statuses: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 3; i++) {
        const response = await request(`${env.proxyUrl}/limited/get`);
        await response.body.dump();
        statuses.push([response.statusCode, response.headers['x-ratelimit-remaining-minute'] as string | undefined]);
      }
      expect(statuses).toEqual([[200, '1'], [200, '0'], [429, '0']]);

      await env.redis!.stop();
      const during = await request(`${env.proxyUrl}/limited/get`);
      await during.body.dump();
      expect(during.statusCode).toBe(200);
      expect(during.headers['x-ratelimit-remaining-minute']).toBeUndefined();
      await env.redis!.start();
    } finally {
      await env.close();
    }
    expect(await refusesConnections(port)).toBe(true);
  }, 60_000);
});

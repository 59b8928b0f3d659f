// Three gateway processes behind the per-connection balancer, as the workshop's scaled-out data
// plane: with the local policy each node counts alone (minute 5 lets 15 through), with
// `policy: redis` they share one counter in a real redis-server (exactly 5, whichever node answers).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startGatewayNodes, type GatewayNodes } from '../../src/env/gateway-nodes.js';
import { openCleanupCount } from '../../src/env/cleanup.js';
import { redisRequirement, redisServerAvailability, startRedisServer, type RunningRedis } from '../../src/redis/index.js';
import { startEmbeddedHttpbin } from '../../src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../src/upstream/index.js';
import { isAlive, processTree } from './processes.js';
import { ensureWindowRoom } from '../../src/docs/fresh-window.js';
import { systemClock } from '../../src/runner/clock.js';

const gate = redisRequirement(redisServerAvailability());
const REDIS_HOST = 'redis-stack.redis.svc.cluster.local';

describe.skipIf(gate.skip)(`three gateway nodes behind the TCP balancer${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  let redis: RunningRedis;
  let upstream: RunningUpstream;
  let env: GatewayNodes;
  let agent: Agent;

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startEmbeddedHttpbin();
    env = await startGatewayNodes({
      count: 3,
      env: { KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstream.port},${REDIS_HOST}:6379=127.0.0.1:${redis.port}` },
    });
    agent = new Agent({ connections: 256, headersTimeout: 10_000, bodyTimeout: 10_000 });
  }, 120_000);

  afterAll(async () => {
    await agent?.close();
    await env?.close();
    await upstream?.close();
    await redis?.close();
  });

  async function sync(policy: 'local' | 'redis', minute: number): Promise<void> {
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
              plugins: [{ name: 'rate-limiting', config: { minute, policy, redis: { host: REDIS_HOST, port: 6379 } } }],
            },
          ],
        },
      ],
    };
    for (const node of env.nodes) {
      const response = await request(`${node.adminUrl}/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(declaration),
        dispatcher: agent,
      });
      expect(response.statusCode, await response.body.text()).toBe(201);
      const cleared = await request(`${node.adminUrl}/_labkit/rate-limiting/counters`, { method: 'DELETE', dispatcher: agent });
      await cleared.body.dump();
      expect(cleared.statusCode).toBe(204);
    }
  }

  /** `count` requests like curls: each on a new connection through the balancer, at once. */
  async function curls(count: number): Promise<number[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const response = await request(`${env.proxyUrl}/limited/get`, { reset: true, dispatcher: agent });
        await response.body.dump();
        return response.statusCode;
      }),
    );
  }

  /** A run that must count in one minute window starts with 15 s of it left at least. */
  const roomInMinute = () => ensureWindowRoom('minute', systemClock, 15_000);

  const passed = (statuses: number[]) => statuses.filter((s) => s === 200).length;

  it('local policy: each node counts alone, so minute 5 lets exactly 15 of 30 through (one in three connections per node)', async () => {
    await sync('local', 5);
    await roomInMinute();
    const before = env.balancer!.connectionsPerBackend();
    const statuses: number[] = [];
    // One after the other: round-robin then gives each node exactly 10 of the 30.
    for (let i = 0; i < 30; i++) statuses.push(...(await curls(1)));
    const handed = env.balancer!.connectionsPerBackend().map((n, i) => n - before[i]);
    expect(handed).toEqual([10, 10, 10]);
    expect({ passed: passed(statuses), blocked: statuses.filter((s) => s === 429).length }).toEqual({ passed: 15, blocked: 15 });
  });

  it('redis policy: exactly 5 of 30 pass, then 429 from whichever node answers; 200 concurrent curls at minute 50 → exactly 50', async () => {
    await sync('redis', 5);
    await roomInMinute();
    const before = env.balancer!.connectionsPerBackend();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(...(await curls(1)));
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    // Every node answered some of the 429s: the limit holds whichever node a connection lands on.
    expect(env.balancer!.connectionsPerBackend().map((n, i) => n - before[i])).toEqual([10, 10, 10]);

    await sync('redis', 50);
    for (let run = 0; run < 2; run++) {
      await roomInMinute();
      const cleared = await request(`${env.nodes[run].adminUrl}/_labkit/rate-limiting/counters`, { method: 'DELETE', dispatcher: agent });
      await cleared.body.dump();
      const burst = await curls(200);
      expect({ run, passed: passed(burst), blocked: burst.filter((s) => s === 429).length }).toEqual({ run, passed: 50, blocked: 150 });
    }
  }, 90_000);

  it('close() stops the balancer and every node', async () => {
    const trees = env.nodes.flatMap((node) => processTree(node.pid));
    expect(trees.length).toBeGreaterThanOrEqual(3);
    await env.close();
    for (const pid of trees) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
    await expect(request(env.proxyUrl, { reset: true })).rejects.toThrow(/ECONNREFUSED/);
    expect(openCleanupCount()).toBe(0);
  });
});

// rate-limiting with `policy: redis` against a real redis-server (Debian's, started by the harness):
// three gateway nodes, each with its own Redis connection, share one counter per window, and a
// Redis outage is handled per fault_tolerant. The Redis is named as the workshop names it
// (redis-stack.redis.svc.cluster.local:6379) and reached through KONG_UPSTREAM_OVERRIDES.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { Agent, request } from 'undici';
import { Redis } from 'ioredis';
import { redisRequirement, redisServerAvailability, startRedisServer, type RunningRedis } from '../../../harness/src/redis/index.js';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';
import { ensureWindowRoom } from '../../../harness/src/docs/fresh-window.js';
import { systemClock } from '../../../harness/src/runner/clock.js';

const redisGate = redisRequirement(redisServerAvailability());
const REDIS_HOST = 'redis-stack.redis.svc.cluster.local';
const PASSWORD = 'labkit-redis-password-7f3a';
const ZERO = '00000000-0000-0000-0000-000000000000';
const NODES = 3;
/** Generous liveness bound: a request waiting on a dead Redis longer than this is hung (timeouts below are 300–500 ms). */
const HUNG_MS = 5_000;

interface Answer {
  node: number;
  status: number;
  headers: Record<string, string>;
  body: string;
}

describe.skipIf(redisGate.skip)(`rate-limiting policy redis on ${NODES} nodes${redisGate.skip ? ` (skipped: ${redisGate.reason})` : ''}`, () => {
  let redis: RunningRedis;
  let upstream: RunningUpstream;
  let nodes: RunningGateway[] = [];
  let inspect: Redis;
  let agent: Agent;
  let silent: Server;
  let silentSockets: Socket[] = [];
  let closedPort: number;
  let stderrLines: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
    upstream = await startEmbeddedHttpbin();
    const overrides = `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstream.port},${REDIS_HOST}:6379=127.0.0.1:${redis.port}`;
    for (let i = 0; i < NODES; i++) nodes.push(await startTestGateway(upstream.port, { KONG_UPSTREAM_OVERRIDES: overrides }));
    inspect = new Redis({ host: '127.0.0.1', port: redis.port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
    inspect.on('error', () => undefined); // it is down during the outage test, like the gateways' connections
    // Every request on a new connection, as curl and a per-connection balancer would have it.
    agent = new Agent({ connections: 256, pipelining: 1, headersTimeout: HUNG_MS, bodyTimeout: HUNG_MS });
    // A "Redis" that accepts connections and never answers: only `timeout` can end the wait.
    silent = createServer((socket) => silentSockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    inspect?.disconnect();
    await agent?.close();
    for (const socket of silentSockets) socket.destroy();
    silent?.close();
    await upstream?.close();
    await redis?.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    stderrLines = [];
  });

  function captureStderr(): void {
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      if (text.startsWith('[rate-limiting]')) {
        stderrLines.push(text);
        return true;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write);
  }

  function redisConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { host: REDIS_HOST, port: 6379, password: PASSWORD, ...extra };
  }

  async function applyToEveryNode(routes: Array<{ name: string; plugins?: unknown[] }>, extra: Record<string, unknown> = {}): Promise<void> {
    const declaration = {
      _format_version: '3.0',
      services: [
        {
          name: 'echo',
          url: 'http://httpbin.kong.svc.cluster.local:8000/anything',
          routes: routes.map((route) => ({ paths: [`/${route.name}`], ...route })),
        },
      ],
      ...extra,
    };
    for (const node of nodes) {
      const answer = await postConfig(node, declaration);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
  }

  function routeId(name: string): string {
    const route = nodes[0].store.current.config.routes.find((r) => r.name === name);
    if (!route) throw new Error(`no route ${name}`);
    return route.id;
  }

  async function send(node: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await request(`http://127.0.0.1:${nodes[node].proxy.port}${path}`, { dispatcher: agent, headers });
    const body = await response.body.text();
    return { node, status: response.statusCode, headers: response.headers as Record<string, string>, body };
  }

  /** `count` requests at once, request i to node i mod NODES. */
  function burst(count: number, path: string, headers: (i: number) => Record<string, string> = () => ({})): Promise<Answer[]> {
    return Promise.all(Array.from({ length: count }, (_, i) => send(i % NODES, path, headers(i))));
  }

  async function clearCounters(node = 0): Promise<number> {
    const response = await request(`http://127.0.0.1:${nodes[node].admin.port}/_labkit/rate-limiting/counters`, { method: 'DELETE', dispatcher: agent });
    await response.body.dump();
    return response.statusCode;
  }

  /** A run that must count in one minute window starts with 15 s of it left at least. */
  const roomInMinute = () => ensureWindowRoom('minute', systemClock, 15_000);

  const remainingOf = (answers: Answer[], header: string) => answers.map((a) => Number(a.headers[header])).sort((a, b) => a - b);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const rateLimitHeaders = (answer: Answer) => Object.keys(answer.headers).filter((name) => /ratelimit|retry-after/i.test(name));

  it('500 concurrent requests over 3 nodes at minute 50: exactly 50 pass, 5 runs in a row, counted under Kong\'s key', async () => {
    await applyToEveryNode([{ name: 'limited', plugins: [{ name: 'rate-limiting', config: { minute: 50, policy: 'redis', redis: redisConfig() } }] }]);
    for (let run = 1; run <= 5; run++) {
      await roomInMinute();
      expect(await clearCounters(run % NODES)).toBe(204);
      const started = Date.now();
      const answers = await burst(500, '/limited/get');
      const passed = answers.filter((a) => a.status === 200);
      const blocked = answers.filter((a) => a.status === 429);
      expect({ run, passed: passed.length, blocked: blocked.length }).toEqual({ run, passed: 50, blocked: 450 });
      // One shared counter: every node saw the same sequence, each remaining value exactly once.
      expect(remainingOf(passed, 'x-ratelimit-remaining-minute')).toEqual(range(50));
      for (const answer of blocked) {
        expect(answer.headers['x-ratelimit-remaining-minute']).toBe('0');
        expect(answer.headers['ratelimit-limit']).toBe('50');
        expect(JSON.parse(answer.body).message).toBe('API rate limit exceeded');
      }
      // Kong's key; blocked requests are not counted.
      const minuteStart = Math.floor(started / 60_000) * 60_000;
      const key = `ratelimit:${routeId('limited')}:${ZERO}:127.0.0.1:${minuteStart}:minute`;
      expect(await inspect.keys(`ratelimit:${routeId('limited')}:*`)).toEqual([key]);
      expect(await inspect.get(key)).toBe('50');
      const ttl = await inspect.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    }
  }, 120_000);

  it('second 20 across window boundaries: each second admits exactly 20 whichever node answers', async () => {
    await applyToEveryNode([{ name: 'per-second', plugins: [{ name: 'rate-limiting', config: { second: 20, policy: 'redis', redis: redisConfig() } }] }]);
    expect(await clearCounters()).toBe(204);
    let clean = 0;
    const windows = new Set<number>();
    for (let round = 0; round < 5; round++) {
      // Start just after a second begins; 100 requests over 3 nodes normally finish inside that second.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
      const started = Date.now();
      const answers = await burst(100, '/per-second/get');
      const ended = Date.now();
      const passed = answers.filter((a) => a.status === 200);
      expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
      windows.add(Math.floor(started / 1000));
      if (Math.floor(started / 1000) === Math.floor(ended / 1000)) {
        clean++;
        expect(remainingOf(passed, 'x-ratelimit-remaining-second')).toEqual(range(20));
      } else {
        // The burst straddled two windows (a busy machine): at most 20 in each.
        windows.add(Math.floor(ended / 1000));
        expect(passed.length).toBeLessThanOrEqual(40);
        expect(passed.length).toBeGreaterThanOrEqual(20);
      }
    }
    expect(windows.size).toBeGreaterThanOrEqual(5);
    expect(clean, 'bursts that fit in one second (the machine is too busy to tell otherwise)').toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('two consumers are counted apart, on every node', async () => {
    await applyToEveryNode(
      [
        {
          name: 'consumers',
          plugins: [
            { name: 'key-auth' },
            { name: 'rate-limiting', config: { minute: 5, limit_by: 'consumer', policy: 'redis', redis: redisConfig() } },
          ],
        },
      ],
      {
        consumers: [
          { username: 'consumer1', keyauth_credentials: [{ key: 'key-one' }] },
          { username: 'consumer2', keyauth_credentials: [{ key: 'key-two' }] },
        ],
      },
    );
    await roomInMinute();
    expect(await clearCounters()).toBe(204);
    const answers = await burst(60, '/consumers/get', (i) => ({ apikey: i % 2 === 0 ? 'key-one' : 'key-two' }));
    for (const [parity, key] of [[0, 'key-one'], [1, 'key-two']] as const) {
      const mine = answers.filter((_, i) => i % 2 === parity);
      const passed = mine.filter((a) => a.status === 200);
      expect({ key, passed: passed.length, blocked: mine.filter((a) => a.status === 429).length }).toEqual({ key, passed: 5, blocked: 25 });
      expect(remainingOf(passed, 'x-ratelimit-remaining-minute')).toEqual(range(5));
    }
    const consumers = nodes[0].store.current.config.consumers;
    const keys = (await inspect.keys(`ratelimit:${routeId('consumers')}:*`)).sort();
    expect(keys).toHaveLength(2);
    for (const consumer of consumers) {
      const key = keys.find((k) => k.includes(`:${consumer.id}:`));
      expect(key, consumer.username ?? '').toMatch(new RegExp(`^ratelimit:${routeId('consumers')}:${ZERO}:${consumer.id}:\\d+:minute$`));
      expect(await inspect.get(key!)).toBe('5');
    }
  }, 60_000);

  it('a declaration naming an unreachable Redis loads; requests follow fault_tolerant; the log says why, once a second, without secrets', async () => {
    captureStderr();
    const unreachable = { host: '127.0.0.1', port: closedPort, password: PASSWORD, timeout: 500 };
    await applyToEveryNode([
      { name: 'tolerant', plugins: [{ name: 'rate-limiting', config: { minute: 5, policy: 'redis', redis: unreachable } }] },
      { name: 'strict', plugins: [{ name: 'rate-limiting', config: { minute: 5, policy: 'redis', fault_tolerant: false, redis: unreachable } }] },
    ]);
    const tolerant = await burst(9, '/tolerant/get');
    for (const answer of tolerant) {
      expect(answer.status).toBe(200);
      expect(rateLimitHeaders(answer)).toEqual([]);
    }
    const strict = await burst(9, '/strict/get');
    for (const answer of strict) {
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body).message).toBe('An unexpected error occurred');
    }
    // 18 failures within a second or so: each node logged at most twice, and said why.
    expect(stderrLines.length).toBeGreaterThanOrEqual(1);
    expect(stderrLines.length).toBeLessThanOrEqual(2 * NODES);
    for (const line of stderrLines) {
      expect(line).toMatch(new RegExp(`failed to get usage: Redis 127\\.0\\.0\\.1:${closedPort}/0 is not reachable: .*ECONNREFUSED`));
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain('ratelimit:');
    }
    // Clearing counters needs every Redis in use: it says which one it could not reach.
    const response = await request(`http://127.0.0.1:${nodes[0].admin.port}/_labkit/rate-limiting/counters`, { method: 'DELETE', dispatcher: agent });
    expect(response.statusCode).toBe(503);
    const body = (await response.body.json()) as { message: string };
    expect(body.message).toContain(`127.0.0.1:${closedPort}/0`);
    expect(body.message).not.toContain(PASSWORD);
  });

  it("a refused declaration's flattened errors do not quote the Redis password", async () => {
    const refused = await postConfig(
      nodes[0],
      {
        _format_version: '3.0',
        plugins: [{ name: 'rate-limiting', config: { minute: -1, policy: 'redis', redis: redisConfig(), redis_password: PASSWORD } }],
      },
      '?flatten_errors=1',
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).not.toContain(PASSWORD);
    expect(refused.body.flattened_errors[0].entity.config.redis.password).toBe('<redacted>');
    expect(refused.body.flattened_errors[0].entity.config.redis_password).toBe('<redacted>');
  });

  it('timeout is honoured when Redis accepts but never answers', async () => {
    captureStderr();
    const port = (silent.address() as { port: number }).port;
    await applyToEveryNode([
      { name: 'silent', plugins: [{ name: 'rate-limiting', config: { minute: 5, policy: 'redis', redis: { host: '127.0.0.1', port, timeout: 300 } } }] },
    ]);
    const answers = await burst(3, '/silent/get');
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(rateLimitHeaders(answer)).toEqual([]);
    }
    expect(stderrLines.length).toBeGreaterThanOrEqual(1);
    for (const line of stderrLines) expect(line).toContain(`Redis 127.0.0.1:${port}/0 did not answer within 300 ms`);
  });

  it('Redis killed and restarted during a run: no crash, no hung request, fault_tolerant respected, limits enforced again', async () => {
    captureStderr();
    await applyToEveryNode([
      { name: 'tolerant', plugins: [{ name: 'rate-limiting', config: { minute: 100_000, policy: 'redis', redis: redisConfig({ timeout: 500 }) } }] },
      {
        name: 'strict',
        plugins: [{ name: 'rate-limiting', config: { minute: 100_000, policy: 'redis', fault_tolerant: false, redis: redisConfig({ timeout: 500 }) } }],
      },
      { name: 'again', plugins: [{ name: 'rate-limiting', config: { minute: 10, policy: 'redis', redis: redisConfig({ timeout: 500 }) } }] },
    ]);
    const before = await burst(6, '/tolerant/get');
    expect(before.map((a) => [a.status, a.headers['x-ratelimit-limit-minute']])).toEqual(Array(6).fill([200, '100000']));

    const seen: Array<{ route: 'tolerant' | 'strict'; answer: Answer }> = [];
    let running = true;
    const traffic = (async () => {
      for (let i = 0; running; i++) {
        const route = i % 2 === 0 ? 'tolerant' : 'strict';
        const answers = await burst(6, `/${route}/get`);
        for (const answer of answers) seen.push({ route, answer });
      }
    })();
    const outageStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await clearCounters()).toBe(503);
    await redis.start();
    // The same connections come back by themselves (no restart, no new declaration).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = await send(0, '/tolerant/get');
      if (probe.headers['x-ratelimit-limit-minute'] === '100000') break;
      if (Date.now() > deadline) throw new Error('the gateways did not use Redis again within 10 s of its return');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    running = false;
    await traffic;
    const outageSeconds = (Date.now() - outageStarted) / 1000;

    const tolerant = seen.filter((s) => s.route === 'tolerant').map((s) => s.answer);
    const strict = seen.filter((s) => s.route === 'strict').map((s) => s.answer);
    for (const answer of tolerant) {
      expect(answer.status).toBe(200);
      // Either counted (all headers) or proxied without any rate-limit header.
      if (answer.headers['x-ratelimit-limit-minute'] === undefined) expect(rateLimitHeaders(answer)).toEqual([]);
    }
    for (const answer of strict) {
      expect([200, 500]).toContain(answer.status);
      if (answer.status === 500) expect(JSON.parse(answer.body).message).toBe('An unexpected error occurred');
    }
    expect(tolerant.some((a) => rateLimitHeaders(a).length === 0), 'a tolerant request proxied during the outage').toBe(true);
    expect(strict.some((a) => a.status === 500), 'a strict request refused during the outage').toBe(true);

    // One line a second per node at most, each saying why, none with a secret or a key.
    expect(stderrLines.length).toBeGreaterThanOrEqual(1);
    expect(stderrLines.length).toBeLessThanOrEqual(NODES * (Math.ceil(outageSeconds) + 1));
    for (const line of stderrLines) {
      expect(line).toMatch(new RegExp(`failed to get usage: Redis ${REDIS_HOST.replace(/\./g, '\\.')}:6379/0 `));
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain('ratelimit:');
    }

    // Limits hold again, across nodes, on the reconnected connections.
    await roomInMinute();
    expect(await clearCounters()).toBe(204);
    const after = await burst(60, '/again/get');
    expect(after.filter((a) => a.status === 200)).toHaveLength(10);
    expect(after.filter((a) => a.status === 429)).toHaveLength(50);
  }, 90_000);
});

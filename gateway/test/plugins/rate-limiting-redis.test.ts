// The rate-limiting handler with `policy: redis` against a real redis-server: the same answers as the
// local policy for the same requests (headers, 429s, windows), Kong's keys, one connection per
// distinct Redis, and a counters clear that deletes only the gateway's own keys.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { redisRequirement, redisServerAvailability, startRedisServer, type RunningRedis } from '../../../harness/src/redis/index.js';
import { createRateLimitingHandler } from '../../src/plugins/rate-limiting/handler.js';
import { LocalCounterStore } from '../../src/plugins/rate-limiting/counters.js';
import { clearRedisCounters, redisEndpointsInUse } from '../../src/plugins/rate-limiting/policies/redis.js';
import { KongExit } from '../../src/plugins/types.js';
import type { Plugin, PluginHandler, RateLimitingConfig } from '../../src/plugins/types.js';
import { RedisConnections } from '../../src/redis/connections.js';
import { fakeContext, plugin, pluginDependencies, rateLimitingConfig } from './fake-context.js';
import type { FakeContextOptions } from './fake-context.js';

const redisGate = redisRequirement(redisServerAvailability());
const ZERO = '00000000-0000-0000-0000-000000000000';
const at = (iso: string) => Date.parse(iso);

describe.skipIf(redisGate.skip)(`rate-limiting policy redis${redisGate.skip ? ` (skipped: ${redisGate.reason})` : ''}`, () => {
  let redis: RunningRedis;
  let connections: RedisConnections;
  let inspect: Redis;
  const localCounters = new LocalCounterStore();
  let rateLimitingHandler: PluginHandler<RateLimitingConfig>;

  beforeAll(async () => {
    redis = await startRedisServer();
    connections = new RedisConnections({ upstreamOverrides: new Map(), hostsFile: new Map() });
    rateLimitingHandler = createRateLimitingHandler(pluginDependencies({ counters: localCounters, redis: connections }));
    inspect = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
  });

  afterAll(async () => {
    await connections?.close();
    inspect?.disconnect();
    await redis?.close();
  });

  beforeEach(() => localCounters.clear());

  const redisRecord = (extra: Partial<RateLimitingConfig['redis']> = {}): RateLimitingConfig['redis'] => ({
    ...rateLimitingConfig().redis,
    host: '127.0.0.1',
    port: redis.port,
    ...extra,
  });

  type Outcome = { exit: KongExit | null; headers: Record<string, string> };

  async function hit(p: Plugin<RateLimitingConfig>, options: FakeContextOptions = {}): Promise<Outcome> {
    const ctx = fakeContext(options);
    const result = await rateLimitingHandler.access!(ctx, p.config, p);
    return { exit: result ?? null, headers: ctx.responseHeaders };
  }

  /** The same requests through a local-policy and a redis-policy instance (each on its own route): the answers must match. */
  async function bothPolicies(overrides: Partial<RateLimitingConfig>, requests: FakeContextOptions[]): Promise<Outcome[]> {
    const local = plugin('rate-limiting', rateLimitingConfig({ ...overrides, policy: 'local' }), { route: randomUUID() });
    const shared = plugin('rate-limiting', rateLimitingConfig({ ...overrides, policy: 'redis', redis: redisRecord() }), { route: randomUUID() });
    const outcomes: Outcome[] = [];
    for (const options of requests) {
      const expected = await hit(local, options);
      const actual = await hit(shared, options);
      expect(actual).toEqual(expected);
      outcomes.push(actual);
    }
    return outcomes;
  }

  it('answers like the local policy across windows: headers, most restrictive window, 429 and Retry-After', async () => {
    const times = [
      '2025-03-01T10:10:30.100Z',
      '2025-03-01T10:10:30.200Z',
      '2025-03-01T10:10:30.300Z', // second exhausted
      '2025-03-01T10:10:31.000Z',
      '2025-03-01T10:10:59.000Z', // minute exhausted
      '2025-03-01T10:11:00.000Z',
      '2025-03-01T10:12:00.000Z',
      '2025-03-01T10:13:00.000Z', // hour exhausted
    ];
    const outcomes = await bothPolicies({ second: 2, minute: 3, hour: 5 }, times.map((t) => ({ startedAt: at(t) })));
    expect(outcomes.map((o) => o.exit?.status ?? 200)).toEqual([200, 200, 429, 200, 429, 200, 200, 429]);
    expect(outcomes[2].exit?.headers).toMatchObject({ 'X-RateLimit-Remaining-Second': '0', 'X-RateLimit-Remaining-Minute': '1', 'Retry-After': '1' });
    expect(outcomes[7].exit?.headers).toMatchObject({ 'X-RateLimit-Remaining-Hour': '0', 'RateLimit-Limit': '5' });
  });

  it('answers like the local policy with hide_client_headers, a custom error and limit_by header', async () => {
    const requests = [1, 2, 3].map((i) => ({ startedAt: at(`2025-03-01T10:10:0${i}Z`), headers: { 'X-Team': 'blue' } }));
    const hidden = await bothPolicies({ minute: 2, hide_client_headers: true, error_code: 503, error_message: 'slow down' }, requests);
    expect(hidden.map((o) => o.exit)).toEqual([null, null, new KongExit(503, 'slow down')]);
    expect(hidden[0].headers).toEqual({});
    const byHeader = await bothPolicies({ minute: 1, limit_by: 'header', header_name: 'x-team' }, [
      ...requests.slice(0, 1),
      { startedAt: at('2025-03-01T10:10:05Z'), headers: { 'X-Team': 'red' } },
      { startedAt: at('2025-03-01T10:10:06Z'), headers: { 'X-Team': 'blue' } },
    ]);
    expect(byHeader.map((o) => o.exit?.status ?? 200)).toEqual([200, 200, 429]);
  });

  it("counts under Kong's key, expiring one window length after the first count; blocked requests are not counted", async () => {
    const routeId = randomUUID();
    const serviceId = randomUUID();
    const p = plugin('rate-limiting', rateLimitingConfig({ minute: 2, hour: 10, policy: 'redis', redis: redisRecord() }), { route: routeId, service: serviceId });
    const startedAt = at('2025-03-01T10:10:30Z');
    for (let i = 0; i < 4; i++) await hit(p, { startedAt, clientIp: '2001:db8::7' });
    const minuteKey = `ratelimit:${routeId}:${serviceId}:2001:db8::7:${at('2025-03-01T10:10:00Z')}:minute`;
    const hourKey = `ratelimit:${routeId}:${serviceId}:2001:db8::7:${at('2025-03-01T10:00:00Z')}:hour`;
    expect((await inspect.keys(`ratelimit:${routeId}:*`)).sort()).toEqual([hourKey, minuteKey].sort());
    expect(await inspect.get(minuteKey)).toBe('2');
    expect(await inspect.get(hourKey)).toBe('2');
    expect(await inspect.ttl(minuteKey)).toBeGreaterThan(50);
    expect(await inspect.ttl(minuteKey)).toBeLessThanOrEqual(60);
    expect(await inspect.ttl(hourKey)).toBeGreaterThan(3500);
  });

  it('one connection per distinct Redis configuration; connections no configuration uses are closed', async () => {
    const own = new RedisConnections({ upstreamOverrides: new Map(), hostsFile: new Map() });
    const gatewayClients = async () => ((await inspect.client('LIST')) as string).split('\n').filter((line) => line.includes(' name=labkit-gateway ')).length;
    const others = await gatewayClients();
    const clients = async () => (await gatewayClients()) - others;
    const db0 = plugin('rate-limiting', rateLimitingConfig({ minute: 5, policy: 'redis', redis: redisRecord() }), { route: randomUUID() });
    const db0again = plugin('rate-limiting', rateLimitingConfig({ hour: 5, policy: 'redis', redis: redisRecord() }), { service: randomUUID() });
    const db1 = plugin('rate-limiting', rateLimitingConfig({ minute: 5, policy: 'redis', redis: redisRecord({ database: 1 }) }), { route: randomUUID() });
    const handler = createRateLimitingHandler(pluginDependencies({ counters: new LocalCounterStore(), redis: own }));
    for (const p of [db0, db0again, db1, db0, db1]) {
      const ctx = fakeContext();
      await handler.access!(ctx, p.config, p);
      expect(ctx.responseHeaders['RateLimit-Limit']).toBe('5');
    }
    expect(await clients()).toBe(2);
    // The database is honoured: db1's counter is not in db 0.
    expect(await inspect.keys(`ratelimit:${db1.route!.id}:*`)).toEqual([]);
    own.retain(redisEndpointsInUse([db0 as Plugin]));
    await expect.poll(clients).toBe(1);
    await own.close();
    await expect.poll(clients).toBe(0);
  });

  it('finds the Redis host through the hosts file and the overrides, as upstreams are found (no DNS)', async () => {
    const viaHostsFile = new RedisConnections({ upstreamOverrides: new Map(), hostsFile: new Map([['redis.labkit.internal', '127.0.0.1']]) });
    const viaOverride = new RedisConnections({
      upstreamOverrides: new Map([['redis-stack.redis.svc.cluster.local:6379', { host: '127.0.0.1', port: redis.port }]]),
      hostsFile: new Map(),
    });
    try {
      for (const [own, record] of [
        [viaHostsFile, { host: 'REDIS.labkit.internal', port: redis.port }],
        [viaOverride, { host: 'redis-stack.redis.svc.cluster.local', port: 6379 }],
      ] as const) {
        const p = plugin('rate-limiting', rateLimitingConfig({ minute: 4, policy: 'redis', fault_tolerant: false, redis: redisRecord(record) }), { route: randomUUID() });
        const ctx = fakeContext();
        expect(await createRateLimitingHandler(pluginDependencies({ counters: new LocalCounterStore(), redis: own })).access!(ctx, p.config, p)).toBeUndefined();
        expect(ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe('3');
        expect(await inspect.keys(`ratelimit:${p.route!.id}:*`)).toHaveLength(1);
      }
    } finally {
      await viaHostsFile.close();
      await viaOverride.close();
    }
  });

  it('authenticates with username and password (Redis ACL)', async () => {
    await inspect.acl('SETUSER', 'labkit', 'on', '>labkit-pass', '~ratelimit:*', '+@all');
    const good = plugin('rate-limiting', rateLimitingConfig({ minute: 3, policy: 'redis', redis: redisRecord({ username: 'labkit', password: 'labkit-pass' }) }), {
      route: randomUUID(),
    });
    expect((await hit(good)).headers['X-RateLimit-Remaining-Minute']).toBe('2');
    const bad = plugin('rate-limiting', rateLimitingConfig({ minute: 3, policy: 'redis', fault_tolerant: false, redis: redisRecord({ username: 'labkit', password: 'not-the-password-9c1' }) }), {
      route: randomUUID(),
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await hit(bad)).exit).toEqual(new KongExit(500, 'An unexpected error occurred'));
      const line = String(stderr.mock.calls.at(-1)?.[0]);
      expect(line).toMatch(/WRONGPASS/);
      expect(line).not.toContain('not-the-password-9c1');
    } finally {
      stderr.mockRestore();
    }
    await inspect.acl('DELUSER', 'labkit');
  });

  it('clearing deletes the keys of this configuration\'s redis instances only (SCAN + DEL, never FLUSHALL)', async () => {
    const routeId = randomUUID();
    const p = plugin('rate-limiting', rateLimitingConfig({ second: 5, minute: 5, policy: 'redis', redis: redisRecord() }), { route: routeId });
    const global = plugin('rate-limiting', rateLimitingConfig({ minute: 5, policy: 'redis', redis: redisRecord() }));
    await hit(p);
    await hit(global, { clientIp: '10.0.0.9' });
    const foreign = `ratelimit:${randomUUID()}:${ZERO}:1.2.3.4:0:minute`;
    await inspect.set(foreign, '7');
    await inspect.set('app:data', 'kept');
    expect(await clearRedisCounters([p as Plugin, global as Plugin], connections)).toBe(3);
    expect(await inspect.keys(`ratelimit:${routeId}:*`)).toEqual([]);
    expect(await inspect.keys(`ratelimit:${ZERO}:${ZERO}:10.0.0.9:*`)).toEqual([]);
    expect(await inspect.get(foreign)).toBe('7');
    expect(await inspect.get('app:data')).toBe('kept');
    await inspect.del(foreign, 'app:data');
  });
});

describe.skipIf(redisGate.skip)(`rate-limiting policy redis over TLS${redisGate.skip ? ` (skipped: ${redisGate.reason})` : ''}`, () => {
  const fixtures = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
  const REDIS_HOST = 'redis-stack.redis.svc.cluster.local';
  let redis: RunningRedis;
  const opened: RedisConnections[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ tls: { certFile: `${fixtures}redis-test.crt`, keyFile: `${fixtures}redis-test.key` } });
  });

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await redis?.close();
  });

  function connections(trusted: boolean): RedisConnections {
    const c = new RedisConnections({
      upstreamOverrides: new Map([[`${REDIS_HOST}:6379`, { host: '127.0.0.1', port: redis.port }]]),
      hostsFile: new Map(),
      trustedCertificates: trusted ? [readFileSync(`${fixtures}redis-test.crt`, 'utf8')] : null,
    });
    opened.push(c);
    return c;
  }

  async function status(redisConnections: RedisConnections, redisRecord: Partial<RateLimitingConfig['redis']>): Promise<number> {
    const config = rateLimitingConfig({ minute: 5, policy: 'redis', fault_tolerant: false });
    config.redis = { ...config.redis, host: REDIS_HOST, port: 6379, timeout: 1000, ssl: true, ...redisRecord };
    const p = plugin('rate-limiting', config, { route: randomUUID() });
    const ctx = fakeContext();
    const exit = await createRateLimitingHandler(pluginDependencies({ counters: new LocalCounterStore(), redis: redisConnections })).access!(ctx, p.config, p);
    if (exit instanceof KongExit) return exit.status;
    expect(ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe('4');
    return 200;
  }

  it('ssl without ssl_verify: encrypted, the certificate is not checked (Kong default)', async () => {
    expect(await status(connections(false), { ssl_verify: false })).toBe(200);
  });

  it('ssl_verify checks the chain against the trusted certificates and the name against host or server_name', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await status(connections(false), { ssl_verify: true })).toBe(500);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/self-signed certificate/);
      expect(await status(connections(true), { ssl_verify: true })).toBe(200);
      expect(await status(connections(true), { ssl_verify: true, server_name: 'other.example.com' })).toBe(500);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/other\.example\.com/);
    } finally {
      stderr.mockRestore();
    }
  });
});

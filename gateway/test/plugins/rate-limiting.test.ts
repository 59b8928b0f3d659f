import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalCounterStore } from '../../src/plugins/rate-limiting/counters.js';
import { createPluginHandlers } from '../../src/plugins/registry.js';
import { buildPluginPlan, runAccessPhase } from '../../src/plugins/runtime.js';
import { KongExit } from '../../src/plugins/types.js';
import type { AuthenticatedCredential, Plugin, RateLimitingConfig } from '../../src/plugins/types.js';
import {
  consumer,
  fakeContext,
  keyAuthConfig,
  plugin,
  pluginDependencies,
  rateLimitingConfig,
  route,
  service,
} from './fake-context.js';
import type { FakeContext, FakeContextOptions, PluginScope } from './fake-context.js';

const ZERO = '00000000-0000-0000-0000-000000000000';
const R = 'aaaaaaaa-0000-4000-8000-000000000001';
const S = 'bbbbbbbb-0000-4000-8000-000000000001';
const at = (iso: string) => Date.parse(iso);

// The handlers of one gateway, counting in this file's own store.
const localCounters = new LocalCounterStore();
const pluginHandlers = createPluginHandlers(pluginDependencies({ counters: localCounters }));
const rateLimitingHandler = pluginHandlers.get('rate-limiting')!;

beforeEach(() => localCounters.clear());

function instance(overrides: Partial<RateLimitingConfig>, scope: PluginScope = {}): Plugin<RateLimitingConfig> {
  return plugin('rate-limiting', rateLimitingConfig(overrides), scope);
}

function hit(p: Plugin<RateLimitingConfig>, options: FakeContextOptions = {}): { ctx: FakeContext; exit: KongExit | null } {
  const ctx = fakeContext(options);
  const result = rateLimitingHandler.access!(ctx, p.config, p);
  if (result instanceof Promise) throw new Error('rate-limiting access must be synchronous');
  return { ctx, exit: result ?? null };
}

describe('rate-limiting identity', () => {
  it('has PRIORITY 910 and allows every scope', () => {
    expect(rateLimitingHandler.priority).toBe(910);
    expect(rateLimitingHandler.noConsumer ?? false).toBe(false);
    expect(rateLimitingHandler.noRoute ?? false).toBe(false);
    expect(rateLimitingHandler.noService ?? false).toBe(false);
  });
});

describe('the workshop scenario (consumer1 minute 5, consumer2 minute 8)', () => {
  const consumer1 = consumer('c1000000-0000-4000-8000-000000000001', 'consumer1');
  const consumer2 = consumer('c2000000-0000-4000-8000-000000000002', 'consumer2');
  const plan = buildPluginPlan(
    [
      plugin('key-auth', keyAuthConfig(), { service: S }) as Plugin,
      plugin('rate-limiting', rateLimitingConfig({ minute: 5 }), { consumer: consumer1.id }) as Plugin,
      plugin('rate-limiting', rateLimitingConfig({ minute: 8 }), { consumer: consumer2.id }) as Plugin,
    ],
    pluginHandlers,
  );
  const send = (key: string, startedAt: number) =>
    (async () => {
      const ctx = fakeContext({
        route: route(R, S),
        service: service(S),
        consumers: [consumer1, consumer2],
        credentials: [
          { id: 'k1', key: '123456', consumerId: consumer1.id },
          { id: 'k2', key: '987654', consumerId: consumer2.id },
        ],
        headers: { apikey: key },
        startedAt,
      });
      const { exit } = await runAccessPhase(plan, ctx);
      return { ctx, exit };
    })();

  it('counts down 4,3,2,1,0, then 429 with Retry-After = RateLimit-Reset; consumer2 is unaffected', async () => {
    const first = await send('123456', at('2025-08-11T14:47:49Z'));
    expect(first.exit).toBeNull();
    expect(first.ctx.responseHeaders).toEqual({
      'X-RateLimit-Limit-Minute': '5',
      'X-RateLimit-Remaining-Minute': '4',
      'RateLimit-Reset': '11',
      'RateLimit-Remaining': '4',
      'RateLimit-Limit': '5',
    });
    for (const [second, remaining] of [[50, '3'], [51, '2'], [52, '1'], [53, '0']] as const) {
      const { ctx, exit } = await send('123456', at(`2025-08-11T14:47:${second}Z`));
      expect(exit).toBeNull();
      expect(ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe(remaining);
      expect(ctx.responseHeaders['RateLimit-Remaining']).toBe(remaining);
    }
    const blocked = await send('123456', at('2025-08-11T14:47:54.700Z'));
    expect(blocked.exit).toEqual(
      new KongExit(429, 'API rate limit exceeded', {
        'X-RateLimit-Limit-Minute': '5',
        'X-RateLimit-Remaining-Minute': '0',
        'RateLimit-Reset': '6',
        'Retry-After': '6',
        'RateLimit-Remaining': '0',
        'RateLimit-Limit': '5',
      }),
    );
    expect(blocked.ctx.responseHeaders).toEqual({});

    const other = await send('987654', at('2025-08-11T14:47:55Z'));
    expect(other.exit).toBeNull();
    expect(other.ctx.responseHeaders).toMatchObject({
      'X-RateLimit-Limit-Minute': '8',
      'X-RateLimit-Remaining-Minute': '7',
      'RateLimit-Limit': '8',
      'RateLimit-Remaining': '7',
      'RateLimit-Reset': '5',
    });
  });
});

describe('windows', () => {
  it('blocked requests are not counted, and the window rolls over at the UTC minute boundary', () => {
    const p = instance({ minute: 2 });
    expect(hit(p, { startedAt: at('2025-03-01T10:15:58Z') }).exit).toBeNull();
    expect(hit(p, { startedAt: at('2025-03-01T10:15:59Z') }).exit).toBeNull();
    for (let i = 0; i < 3; i++) {
      const { exit } = hit(p, { startedAt: at('2025-03-01T10:15:59.999Z') });
      expect(exit?.status).toBe(429);
      expect(exit?.headers['Retry-After']).toBe('1');
    }
    const next = hit(p, { startedAt: at('2025-03-01T10:16:00.000Z') });
    expect(next.exit).toBeNull();
    expect(next.ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe('1');
    expect(next.ctx.responseHeaders['RateLimit-Reset']).toBe('60');
  });

  it('sends headers for every configured window and picks the most restrictive one', () => {
    const p = instance({ second: 100, minute: 10, hour: 12 });
    for (let i = 0; i < 5; i++) hit(p, { startedAt: at('2025-03-01T10:10:30Z') });
    const { ctx } = hit(p, { startedAt: at('2025-03-01T10:11:20Z') });
    expect(ctx.responseHeaders).toEqual({
      'X-RateLimit-Limit-Second': '100',
      'X-RateLimit-Remaining-Second': '99',
      'X-RateLimit-Limit-Minute': '10',
      'X-RateLimit-Remaining-Minute': '9',
      'X-RateLimit-Limit-Hour': '12',
      'X-RateLimit-Remaining-Hour': '6',
      'RateLimit-Reset': String(3600 - (11 * 60 + 20)),
      'RateLimit-Remaining': '6',
      'RateLimit-Limit': '12',
    });
  });

  it('on a tie of remaining, the longer window wins', () => {
    const { ctx } = hit(instance({ minute: 5, hour: 5 }), { startedAt: at('2025-03-01T10:10:30Z') });
    expect(ctx.responseHeaders['RateLimit-Limit']).toBe('5');
    expect(ctx.responseHeaders['RateLimit-Reset']).toBe(String(3600 - 630));
  });

  it('when blocked, the exceeded window shows 0 and the others their remaining without this request', () => {
    const p = instance({ minute: 2, hour: 10 });
    hit(p, { startedAt: at('2025-03-01T10:10:00Z') });
    hit(p, { startedAt: at('2025-03-01T10:10:01Z') });
    const { exit } = hit(p, { startedAt: at('2025-03-01T10:10:02Z') });
    expect(exit?.headers).toEqual({
      'X-RateLimit-Limit-Minute': '2',
      'X-RateLimit-Remaining-Minute': '0',
      'X-RateLimit-Limit-Hour': '10',
      'X-RateLimit-Remaining-Hour': '8',
      'RateLimit-Reset': '58',
      'Retry-After': '58',
      'RateLimit-Remaining': '0',
      'RateLimit-Limit': '2',
    });
  });

  it('month windows follow the calendar month; Reset uses 30 days', () => {
    const p = instance({ month: 1 });
    const first = hit(p, { startedAt: at('2025-02-10T00:00:00Z') });
    expect(first.ctx.responseHeaders['RateLimit-Reset']).toBe(String(2592000 - 9 * 86400));
    const blocked = hit(p, { startedAt: at('2025-02-28T23:59:59Z') });
    expect(blocked.exit?.status).toBe(429);
    expect(hit(p, { startedAt: at('2025-03-01T00:00:00Z') }).exit).toBeNull();
  });

  it('a 31-day month: Reset floors at 1, and the counter lives 30 days from its first hit as in Kong', () => {
    const p = instance({ month: 1 });
    expect(hit(p, { startedAt: at('2025-01-01T00:00:05Z') }).exit).toBeNull();
    const late = hit(p, { startedAt: at('2025-01-31T00:00:04Z') });
    expect(late.exit?.headers['Retry-After']).toBe('1');
    expect(hit(p, { startedAt: at('2025-01-31T00:00:05Z') }).exit).toBeNull();
  });

  it('year windows start on Jan 1 UTC', () => {
    const p = instance({ year: 1 });
    expect(hit(p, { startedAt: at('2025-06-01T00:00:00Z') }).exit).toBeNull();
    const blocked = hit(p, { startedAt: at('2025-12-31T23:59:59Z') });
    expect(blocked.exit?.status).toBe(429);
    expect(blocked.exit?.headers['RateLimit-Reset']).toBe('1');
    const next = hit(p, { startedAt: at('2026-01-01T00:00:00Z') });
    expect(next.exit).toBeNull();
    expect(next.ctx.responseHeaders['RateLimit-Reset']).toBe('31536000');
  });

  it('renders decimal limits like Lua and blocks once remaining ≤ 0', () => {
    const p = instance({ minute: 2.5 });
    const t = at('2025-03-01T10:10:00Z');
    expect(hit(p, { startedAt: t }).ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe('1.5');
    expect(hit(p, { startedAt: t }).ctx.responseHeaders['X-RateLimit-Limit-Minute']).toBe('2.5');
    const third = hit(p, { startedAt: t });
    expect(third.exit).toBeNull();
    expect(third.ctx.responseHeaders['X-RateLimit-Remaining-Minute']).toBe('0');
    expect(hit(p, { startedAt: t }).exit?.status).toBe(429);
  });
});

describe('identifier (limit_by) and counter keys', () => {
  const t = at('2025-03-01T10:10:00Z');
  const minuteStart = at('2025-03-01T10:10:00Z');
  const identifiers = () => localCounters.usage(t).map((u) => u.identifier);
  const credential: AuthenticatedCredential = { id: 'cred-1', kind: 'key-auth', identifier: 'cred-1' };

  it('consumer: consumer id, else credential id, else client IP', () => {
    const p = instance({ minute: 10 });
    hit(p, { startedAt: t, consumer: consumer('consumer-1'), credential, clientIp: '10.0.0.1' });
    hit(p, { startedAt: t, credential, clientIp: '10.0.0.1' });
    hit(p, { startedAt: t, clientIp: '10.0.0.2' });
    expect(identifiers().sort()).toEqual(['10.0.0.2', 'consumer-1', 'cred-1']);
  });

  it('credential: credential id, else client IP', () => {
    const p = instance({ minute: 10, limit_by: 'credential' });
    hit(p, { startedAt: t, consumer: consumer('consumer-1'), credential, clientIp: '10.0.0.1' });
    hit(p, { startedAt: t, consumer: consumer('consumer-1'), clientIp: '10.0.0.3' });
    expect(identifiers().sort()).toEqual(['10.0.0.3', 'cred-1']);
  });

  it('ip: the client IP even when a consumer is known', () => {
    hit(instance({ minute: 10, limit_by: 'ip' }), { startedAt: t, consumer: consumer('consumer-1'), clientIp: '::1' });
    expect(identifiers()).toEqual(['::1']);
  });

  it('service: the matched service id, else client IP', () => {
    const p = instance({ minute: 10, limit_by: 'service' });
    hit(p, { startedAt: t, service: service(S), clientIp: '10.0.0.1' });
    hit(p, { startedAt: t, clientIp: '10.0.0.4' });
    expect(identifiers().sort()).toEqual(['10.0.0.4', S]);
  });

  it('header: the header value (case-insensitive, first of repeats), else client IP', () => {
    const p = instance({ minute: 10, limit_by: 'header', header_name: 'X-Tenant_Id' });
    hit(p, { startedAt: t, headers: [['x-tenant-id', 'acme'], ['X-Tenant-Id', 'other']] });
    hit(p, { startedAt: t, clientIp: '10.0.0.5' });
    expect(identifiers().sort()).toEqual(['10.0.0.5', 'acme']);
  });

  it('path: the path only when it equals config.path exactly, else client IP', () => {
    const p = instance({ minute: 10, limit_by: 'path', path: '/anything' });
    hit(p, { startedAt: t, path: '/anything' });
    hit(p, { startedAt: t, path: '/anything/else', clientIp: '10.0.0.6' });
    expect(identifiers().sort()).toEqual(['/anything', '10.0.0.6']);
  });

  it("keys counters by the plugin's own route/service scope, zero UUID when unscoped", () => {
    hit(instance({ minute: 10 }), { startedAt: t, clientIp: '10.0.0.1', route: route(R, S), service: service(S) });
    hit(instance({ minute: 10 }, { route: R }), { startedAt: t, clientIp: '10.0.0.1' });
    hit(instance({ minute: 10 }, { service: S }), { startedAt: t, clientIp: '10.0.0.1' });
    expect(localCounters.entries(t).map((e) => e.key).sort()).toEqual(
      [
        `ratelimit:${ZERO}:${ZERO}:10.0.0.1:${minuteStart}:minute`,
        `ratelimit:${R}:${ZERO}:10.0.0.1:${minuteStart}:minute`,
        `ratelimit:${ZERO}:${S}:10.0.0.1:${minuteStart}:minute`,
      ].sort(),
    );
  });

  it('instances with the same route/service scope share counters, as in Kong (no plugin id in the key)', () => {
    hit(instance({ minute: 1 }), { startedAt: t, clientIp: '10.0.0.1' });
    const other = hit(instance({ minute: 1 }, { consumer: 'c' }), { startedAt: t, clientIp: '10.0.0.1' });
    expect(other.exit?.status).toBe(429);
  });
});

describe('response options', () => {
  const t = at('2025-03-01T10:10:00Z');

  it('hide_client_headers: no headers when allowed, and none (not even Retry-After) when blocked (3.9+)', () => {
    const p = instance({ minute: 1, hide_client_headers: true });
    const allowed = hit(p, { startedAt: t });
    expect(allowed.exit).toBeNull();
    expect(allowed.ctx.responseHeaders).toEqual({});
    expect(hit(p, { startedAt: t }).exit).toEqual(new KongExit(429, 'API rate limit exceeded', {}));
  });

  it('error_code and error_message shape the block', () => {
    const p = instance({ minute: 1, error_code: 503, error_message: 'Slow down' });
    hit(p, { startedAt: t });
    const { exit } = hit(p, { startedAt: t });
    expect(exit?.status).toBe(503);
    expect(exit?.message).toBe('Slow down');
    expect(exit?.headers['Retry-After']).toBe('60');
  });
});

describe('failures and unsupported policies', () => {
  let stderr: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    vi.restoreAllMocks();
  });

  it('fault_tolerant: a store error proxies without headers (true) or answers 500 (false)', () => {
    vi.spyOn(localCounters, 'get').mockImplementation(() => {
      throw new Error('shm exhausted');
    });
    const tolerant = hit(instance({ minute: 1 }));
    expect(tolerant.exit).toBeNull();
    expect(tolerant.ctx.responseHeaders).toEqual({});
    expect(hit(instance({ minute: 1, fault_tolerant: false })).exit).toEqual(new KongExit(500, 'An unexpected error occurred'));
  });

  it('policy cluster (refused by the DB-less schema) is never proxied unlimited, fault_tolerant or not', () => {
    for (const fault_tolerant of [false, true]) {
      const { exit, ctx } = hit(instance({ minute: 1, policy: 'cluster', fault_tolerant }));
      expect(exit).toEqual(new KongExit(500, 'rate-limiting policy "cluster" is not supported by this gateway yet'));
      expect(ctx.responseHeaders).toEqual({});
    }
    expect(localCounters.size()).toBe(0);
  });
});

describe('concurrency', () => {
  it('100 concurrent requests with limit 10 admit exactly 10, even with async plugins before it', async () => {
    const alice = consumer('a1111111-0000-4000-8000-000000000001', 'alice');
    const plan = buildPluginPlan(
      [
        plugin('key-auth', keyAuthConfig({ key_in_body: true, key_in_header: false, key_in_query: false })) as Plugin,
        plugin('rate-limiting', rateLimitingConfig({ minute: 10 })) as Plugin,
      ],
      pluginHandlers,
    );
    const t = at('2025-03-01T10:10:30Z');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const ctx = fakeContext({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"apikey":"k"}',
          // Body reads finish in a scrambled order so the requests interleave.
          bodyDelay: () => new Promise((resolve) => setTimeout(resolve, (i * 7) % 13)),
          consumers: [alice],
          credentials: [{ id: 'cred', key: 'k', consumerId: alice.id }],
          startedAt: t,
        });
        return runAccessPhase(plan, ctx);
      }),
    );
    const admitted = results.filter((r) => r.exit === null).length;
    const blocked = results.filter((r) => r.exit?.status === 429).length;
    expect(admitted).toBe(10);
    expect(blocked).toBe(90);
    expect(localCounters.usage(t)).toEqual([expect.objectContaining({ identifier: alice.id, count: 10 })]);
  });
});

describe('memory', () => {
  it('expired windows are freed: many identifiers in one minute leave nothing behind after it', () => {
    const p = instance({ second: 5, minute: 10 });
    const t = at('2025-03-01T10:10:30Z');
    for (let i = 0; i < 2000; i++) hit(p, { startedAt: t, clientIp: `10.1.${i >> 8}.${i & 255}` });
    expect(localCounters.size()).toBe(4000);
    hit(p, { startedAt: at('2025-03-01T10:11:00Z'), clientIp: '192.0.2.1' });
    expect(localCounters.size()).toBe(2);
  });
});

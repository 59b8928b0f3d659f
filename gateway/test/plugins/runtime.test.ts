import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildPluginPlan, runAccessPhase, runLogPhase, runResponsePhase } from '../../src/plugins/runtime.js';
import { createPluginHandlers } from '../../src/plugins/registry.js';
import { KongExit, PluginFailure } from '../../src/plugins/types.js';
import type { Plugin, PluginContext, PluginHandler } from '../../src/plugins/types.js';
import { LocalCounterStore } from '../../src/plugins/rate-limiting/counters.js';
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

const localCounters = new LocalCounterStore();
const pluginHandlers = createPluginHandlers(pluginDependencies({ counters: localCounters }));

const R = 'aaaaaaaa-0000-4000-8000-000000000001';
const S = 'bbbbbbbb-0000-4000-8000-000000000001';
const C = 'cccccccc-0000-4000-8000-000000000001';

/** A handler that records which instance (by its config label) ran in each phase. */
function probe(name: string, priority: number, calls: string[], extra: Partial<PluginHandler> = {}): PluginHandler<{ label: string }> {
  return {
    name,
    priority,
    access: (_ctx, config) => {
      calls.push(`access:${name}:${config.label}`);
    },
    response: (_ctx, config) => {
      calls.push(`response:${name}:${config.label}`);
    },
    log: (_ctx, config) => {
      calls.push(`log:${name}:${config.label}`);
    },
    ...extra,
  };
}

function handlersOf(...handlers: PluginHandler[]): Map<string, PluginHandler> {
  return new Map(handlers.map((h) => [h.name, h]));
}

describe('scope precedence (§7.2, OSS list)', () => {
  const levels: Array<[string, { route?: string; service?: string; consumer?: string }]> = [
    ['route+service+consumer', { route: R, service: S, consumer: C }],
    ['route+consumer', { route: R, consumer: C }],
    ['service+consumer', { service: S, consumer: C }],
    ['route+service', { route: R, service: S }],
    ['consumer', { consumer: C }],
    ['route', { route: R }],
    ['service', { service: S }],
    ['global', {}],
  ];

  it('picks the most specific level, exactly one instance per plugin name, walking down all 8 levels', async () => {
    for (let skip = 0; skip < levels.length; skip++) {
      const calls: string[] = [];
      const handler = probe('probe', 100, calls);
      const plugins = levels.slice(skip).map(([label, scope]) => plugin('probe', { label }, scope));
      const plan = buildPluginPlan(plugins, handlersOf(handler));
      const ctx = fakeContext({ route: route(R, S), service: service(S), consumer: consumer(C, 'alice') });
      const { collected, exit } = await runAccessPhase(plan, ctx);
      expect(exit).toBeNull();
      expect(calls).toEqual([`access:probe:${levels[skip][0]}`]);
      expect(collected).toHaveLength(1);
    }
  });

  it('skips levels whose ids the request lacks instead of matching them as wildcards', async () => {
    const calls: string[] = [];
    const handler = probe('probe', 100, calls);
    // No route matched: a consumer-only instance must still beat a service-only one, and
    // service+consumer must beat consumer-only.
    const plugins = [
      plugin('probe', { label: 'consumer' }, { consumer: C }),
      plugin('probe', { label: 'service+consumer' }, { service: S, consumer: C }),
      plugin('probe', { label: 'service' }, { service: S }),
    ];
    const plan = buildPluginPlan(plugins, handlersOf(handler));
    await runAccessPhase(plan, fakeContext({ service: service(S), consumer: consumer(C) }));
    expect(calls).toEqual(['access:probe:service+consumer']);
  });

  it('instances for another route/service/consumer never apply', async () => {
    const calls: string[] = [];
    const handler = probe('probe', 100, calls);
    const plugins = [
      plugin('probe', { label: 'other-route' }, { route: 'other' }),
      plugin('probe', { label: 'other-consumer' }, { consumer: 'other' }),
    ];
    const plan = buildPluginPlan(plugins, handlersOf(handler));
    const { collected } = await runAccessPhase(plan, fakeContext({ route: route(R), consumer: consumer(C) }));
    expect(calls).toEqual([]);
    expect(collected).toEqual([]);
  });

  it("respects the handler's noConsumer/noRoute/noService", async () => {
    const calls: string[] = [];
    const noConsumer = probe('a-no-consumer', 100, calls, { noConsumer: true });
    const noRoute = probe('b-no-route', 100, calls, { noRoute: true });
    const noService = probe('c-no-service', 100, calls, { noService: true });
    const plugins = [
      plugin('a-no-consumer', { label: 'consumer' }, { consumer: C }),
      plugin('a-no-consumer', { label: 'global' }),
      plugin('b-no-route', { label: 'route' }, { route: R }),
      plugin('b-no-route', { label: 'service' }, { service: S }),
      plugin('c-no-service', { label: 'route+service' }, { route: R, service: S }),
      plugin('c-no-service', { label: 'route' }, { route: R }),
    ];
    const plan = buildPluginPlan(plugins, handlersOf(noConsumer, noRoute, noService));
    await runAccessPhase(plan, fakeContext({ route: route(R, S), service: service(S), consumer: consumer(C) }));
    expect(calls).toEqual(['access:c-no-service:route', 'access:b-no-route:service', 'access:a-no-consumer:global']);
  });

  it('disabled instances never run and do not shadow less specific ones', async () => {
    const calls: string[] = [];
    const handler = probe('probe', 100, calls);
    const plugins = [plugin('probe', { label: 'route' }, { route: R }, false), plugin('probe', { label: 'global' })];
    const plan = buildPluginPlan(plugins, handlersOf(handler));
    await runAccessPhase(plan, fakeContext({ route: route(R) }));
    expect(calls).toEqual(['access:probe:global']);
  });

  it('looks an instance up when its turn comes, so a consumer set by an earlier plugin counts', async () => {
    const calls: string[] = [];
    const auth: PluginHandler = {
      name: 'auth',
      priority: 1000,
      access: (ctx) => {
        ctx.consumer = consumer(C);
      },
    };
    const before = probe('before', 2000, calls);
    const after = probe('after', 10, calls);
    const plugins = [
      plugin('auth', {}),
      plugin('before', { label: 'global' }),
      plugin('before', { label: 'consumer' }, { consumer: C }),
      plugin('after', { label: 'global' }),
      plugin('after', { label: 'consumer' }, { consumer: C }),
    ];
    const plan = buildPluginPlan(plugins, handlersOf(before, auth, after));
    await runAccessPhase(plan, fakeContext());
    expect(calls).toEqual(['access:before:global', 'access:after:consumer']);
  });
});

describe('consumer-scoped rate-limiting after key-auth (the workshop setup)', () => {
  beforeEach(() => localCounters.clear());

  it('uses the consumer instance once key-auth has identified the consumer, the global one otherwise', async () => {
    const c1 = consumer('c1000000-0000-4000-8000-000000000001', 'consumer1');
    const c2 = consumer('c2000000-0000-4000-8000-000000000002', 'consumer2');
    const plugins: Plugin[] = [
      plugin('key-auth', keyAuthConfig({ anonymous: 'guest' }), { route: R }) as Plugin,
      plugin('rate-limiting', rateLimitingConfig({ minute: 5 }), { consumer: c1.id }) as Plugin,
      plugin('rate-limiting', rateLimitingConfig({ minute: 8 }), { consumer: c2.id }) as Plugin,
      plugin('rate-limiting', rateLimitingConfig({ minute: 100 })) as Plugin,
    ];
    const plan = buildPluginPlan(plugins, pluginHandlers);
    const guest = consumer('90000000-0000-4000-8000-000000000009', 'guest');
    const entities = {
      route: route(R, S),
      service: service(S),
      consumers: [c1, c2, guest],
      credentials: [
        { id: 'k1', key: '123456', consumerId: c1.id },
        { id: 'k2', key: '987654', consumerId: c2.id },
      ],
    };
    const ctx1 = fakeContext({ ...entities, headers: { apikey: '123456' } });
    expect((await runAccessPhase(plan, ctx1)).exit).toBeNull();
    expect(ctx1.responseHeaders['X-RateLimit-Limit-Minute']).toBe('5');

    const ctx2 = fakeContext({ ...entities, headers: { apikey: '987654' } });
    await runAccessPhase(plan, ctx2);
    expect(ctx2.responseHeaders['X-RateLimit-Limit-Minute']).toBe('8');

    const anonymousCtx = fakeContext({ ...entities });
    await runAccessPhase(plan, anonymousCtx);
    expect(anonymousCtx.consumer?.id).toBe(guest.id);
    expect(anonymousCtx.responseHeaders['X-RateLimit-Limit-Minute']).toBe('100');
  });
});

describe('priority order and phases', () => {
  it('runs handlers by priority, ties by name in reverse alphabetical order, in every phase', async () => {
    const calls: string[] = [];
    const handlers = handlersOf(
      probe('low', 1, calls),
      probe('alpha', 50, calls),
      probe('zulu', 50, calls),
      probe('high', 5000, calls),
    );
    const plugins = ['low', 'alpha', 'zulu', 'high'].map((name) => plugin(name, { label: 'g' }));
    const plan = buildPluginPlan(plugins, handlers);
    const ctx = fakeContext();
    const { collected } = await runAccessPhase(plan, ctx);
    runResponsePhase(collected, ctx);
    runLogPhase(collected, ctx);
    const order = ['high', 'zulu', 'alpha', 'low'];
    expect(calls).toEqual([
      ...order.map((n) => `access:${n}:g`),
      ...order.map((n) => `response:${n}:g`),
      ...order.map((n) => `log:${n}:g`),
    ]);
  });

  it('the real handlers: key-auth (1250) before rate-limiting (910)', () => {
    const plan = buildPluginPlan(
      [plugin('rate-limiting', rateLimitingConfig({ minute: 1 })) as Plugin, plugin('key-auth', keyAuthConfig()) as Plugin],
      pluginHandlers,
    );
    expect(plan.entries.map((e) => e.handler.name)).toEqual(['key-auth', 'rate-limiting']);
  });

  it('after a short-circuit, later access phases are skipped but their response and log phases run', async () => {
    const calls: string[] = [];
    const gate = probe('gate', 1000, calls, {
      access: (_ctx, config: { label: string }) => {
        calls.push(`access:gate:${config.label}`);
        return new KongExit(401, 'Unauthorized', { 'WWW-Authenticate': 'Key' });
      },
    });
    const logger = probe('logger', 10, calls);
    const plan = buildPluginPlan([plugin('gate', { label: 'g' }), plugin('logger', { label: 'g' })], handlersOf(gate, logger));
    const ctx = fakeContext();
    const { collected, exit } = await runAccessPhase(plan, ctx);
    expect(exit).toEqual(new KongExit(401, 'Unauthorized', { 'WWW-Authenticate': 'Key' }));
    expect(collected.map((c) => c.handler.name)).toEqual(['gate', 'logger']);
    ctx.responseStatus = exit?.status;
    runResponsePhase(collected, ctx);
    runLogPhase(collected, ctx);
    expect(calls).toEqual(['access:gate:g', 'response:gate:g', 'response:logger:g', 'log:gate:g', 'log:logger:g']);
  });

  it('awaits asynchronous access handlers and uses their KongExit', async () => {
    const slow: PluginHandler = {
      name: 'slow',
      priority: 5,
      access: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return new KongExit(403, 'Forbidden');
      },
    };
    const plan = buildPluginPlan([plugin('slow', {})], handlersOf(slow));
    expect((await runAccessPhase(plan, fakeContext())).exit).toEqual(new KongExit(403, 'Forbidden'));
  });
});

describe('failures', () => {
  let stderr: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it('an access handler that throws ends the request with 500 An unexpected error occurred, and collection goes on', async () => {
    const calls: string[] = [];
    const broken: PluginHandler = {
      name: 'broken',
      priority: 100,
      access: () => {
        throw new Error('boom');
      },
    };
    const asyncBroken: PluginHandler = {
      name: 'async-broken',
      priority: 50,
      access: async () => {
        throw new PluginFailure('nope');
      },
    };
    const after = probe('after', 1, calls);
    for (const failing of [broken, asyncBroken]) {
      const plan = buildPluginPlan([plugin(failing.name, {}), plugin('after', { label: 'g' })], handlersOf(failing, after));
      const { collected, exit } = await runAccessPhase(plan, fakeContext());
      expect(exit).toEqual(new KongExit(500, 'An unexpected error occurred'));
      expect(collected.map((c) => c.handler.name)).toEqual([failing.name, 'after']);
    }
    expect(calls).toEqual([]);
    expect(stderr).toHaveBeenCalled();
  });

  it('errors in response and log handlers are reported on stderr, never thrown, and the others still run', async () => {
    const calls: string[] = [];
    const noisy: PluginHandler = {
      name: 'noisy',
      priority: 100,
      response: () => {
        throw new Error('header filter broke');
      },
      log: () => {
        throw new Error('log broke');
      },
    };
    const quiet = probe('quiet', 1, calls);
    const plan = buildPluginPlan([plugin('noisy', {}), plugin('quiet', { label: 'g' })], handlersOf(noisy, quiet));
    const ctx = fakeContext();
    const { collected } = await runAccessPhase(plan, ctx);
    expect(() => runResponsePhase(collected, ctx)).not.toThrow();
    expect(() => runLogPhase(collected, ctx)).not.toThrow();
    expect(calls).toEqual(['access:quiet:g', 'response:quiet:g', 'log:quiet:g']);
    const written = stderr.mock.calls.map((c: unknown[]) => String(c[0])).join('');
    expect(written).toContain('log broke');
    expect(written).toContain('header filter broke');
  });
});

describe('buildPluginPlan', () => {
  it('calls configure on every handler with its enabled instances (empty when none are left)', () => {
    const seen: Record<string, string[]> = {};
    const make = (name: string): PluginHandler => ({
      name,
      priority: 1,
      configure: (active: Plugin[]) => {
        seen[name] = active.map((p) => p.id);
      },
    });
    const on = plugin('one', {});
    const off = plugin('one', {}, { route: R }, false);
    const plan = buildPluginPlan([on, off, plugin('unknown-plugin', {})], handlersOf(make('one'), make('two')));
    expect(seen).toEqual({ one: [on.id], two: [] });
    expect(plan.entries.map((e) => e.handler.name)).toEqual(['one']);
    expect(plan.unhandled).toEqual(['unknown-plugin']);
  });

  it('a plan with no plugins collects nothing', async () => {
    const plan = buildPluginPlan([], pluginHandlers);
    const ctx: PluginContext = fakeContext();
    expect(await runAccessPhase(plan, ctx)).toEqual({ collected: [], exit: null });
  });
});

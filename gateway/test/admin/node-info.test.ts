import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToStr } from '../../src/admin/status-endpoint.js';
import { EMPTY_CONFIG_HASH } from '../../src/config-store.js';
import { NODE_ID, call, fixtureConfig, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startAdmin();
});
afterAll(async () => admin.close());

describe('every response', () => {
  it('carries Server, X-Kong-Admin-Latency, the JSON content type and CORS', async () => {
    for (const path of ['/', '/status', '/services', '/nowhere']) {
      const response = await call(admin, 'GET', path);
      expect(response.headers.server, path).toBe('kong/3.11.0.0-enterprise-edition');
      expect(response.headers['x-kong-admin-latency'], path).toMatch(/^\d+$/);
      expect(response.headers['content-type'], path).toBe('application/json; charset=utf-8');
      expect(response.headers['access-control-allow-origin'], path).toBe('*');
    }
  });

  it('answers unknown paths with 404 and wrong methods on read paths with 405', async () => {
    const unknown = await call(admin, 'GET', '/upstreams-of-doom');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Not found' });
    expect((await call(admin, 'GET', '/services/a/b/c/d')).status).toBe(404);
    for (const [method, path] of [
      ['POST', '/'],
      ['DELETE', '/status'],
      ['PUT', '/status/ready'],
    ]) {
      const response = await call(admin, method, path, { body: '{}' });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.body).toEqual({ message: 'Method not allowed' });
    }
  });

  it('answers CORS preflights with 204 and HEAD like GET without a body', async () => {
    const preflight = await call(admin, 'OPTIONS', '/services');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
    const head = await call(admin, 'HEAD', '/status');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('GET /', () => {
  it('describes the node the way decK and the workshop read it', async () => {
    admin.store.apply(fixtureConfig(), 'ffffffffffffffffffffffffffffffff');
    const response = await call(admin, 'GET', '/');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      tagline: 'Welcome to kong',
      version: '3.11.0.0',
      edition: 'enterprise',
      hostname: 'labkit-test',
      node_id: NODE_ID,
      timers: { running: expect.any(Number), pending: expect.any(Number) },
      lua_version: expect.stringMatching(/^LuaJIT 2\.1\.0-/),
      pids: { master: process.pid, workers: [process.pid] },
    });
    expect(body.plugins.available_on_server['key-auth']).toEqual({ version: '3.11.0.0', priority: 1250 });
    expect(body.plugins.available_on_server['rate-limiting'].priority).toBe(910);
    expect(body.plugins.enabled_in_cluster).toEqual(['key-auth', 'rate-limiting']);
    expect(body.configuration).toMatchObject({
      database: 'off',
      role: 'traditional',
      router_flavor: 'traditional_compatible',
      proxy_listen: ['127.0.0.1:8000'],
      admin_listen: ['127.0.0.1:8001'],
    });
  });

  it('follows KONG_VERSION / KONG_EDITION', async () => {
    const community = await startAdmin({ KONG_VERSION: '3.9.0', KONG_EDITION: 'community' });
    try {
      const response = await call(community, 'GET', '/');
      expect(response.body.version).toBe('3.9.0');
      expect(response.body.edition).toBe('community');
      expect(response.headers.server).toBe('kong/3.9.0');
    } finally {
      await community.close();
    }
  });
});

describe('GET /status', () => {
  it('reports memory, server counters and the configuration hash, without a database block', async () => {
    admin.stats.totalRequests = 42;
    admin.stats.connectionsActive = 3;
    admin.store.apply(fixtureConfig(), '0123456789abcdef0123456789abcdef');
    const response = await call(admin, 'GET', '/status');
    expect(response.status).toBe(200);
    expect(response.body.configuration_hash).toBe('0123456789abcdef0123456789abcdef');
    expect(response.body.database).toBeUndefined();
    expect(response.body.server).toEqual({
      connections_active: 3,
      connections_reading: 0,
      connections_writing: 0,
      connections_waiting: 0,
      connections_accepted: 0,
      connections_handled: 0,
      total_requests: 42,
    });
    const [vm] = response.body.memory.workers_lua_vms;
    expect(vm.pid).toBe(process.pid);
    expect(vm.http_allocated_gc).toMatch(/^\d+\.\d{2} MiB$/);
    expect(response.body.memory.lua_shared_dicts.kong).toEqual({ allocated_slabs: expect.stringMatching(/ MiB$/), capacity: '5.00 MiB' });
  });

  it('formats memory with ?unit= and ?scale=, and rejects bad values', async () => {
    const kib = await call(admin, 'GET', '/status?unit=k&scale=1');
    expect(kib.body.memory.lua_shared_dicts.kong.capacity).toBe('5120.0 KiB');
    const bytes = await call(admin, 'GET', '/status?unit=b');
    expect(bytes.body.memory.lua_shared_dicts.kong.capacity).toBe('5242880');

    const badUnit = await call(admin, 'GET', '/status?unit=V');
    expect(badUnit.status).toBe(400);
    expect(badUnit.body).toEqual({ message: "invalid unit 'V' (expected 'k/K', 'm/M', or 'g/G')" });
    const badScale = await call(admin, 'GET', '/status?unit=g&scale=-1');
    expect(badScale.status).toBe(400);
    expect(badScale.body).toEqual({ message: 'scale must be equal or greater than 0' });
  });

  it('bytesToStr matches Kong’s bytes_to_str', () => {
    expect(bytesToStr(5497558, 'b', null)).toBe('5497558');
    expect(bytesToStr(5497558, 'm', null)).toBe('5.24 MiB');
    expect(bytesToStr(5497558, 'G', 3)).toBe('0.005 GiB');
  });

  it('/status/ready is 503 until a configuration is loaded', async () => {
    const fresh = await startAdmin();
    try {
      const notReady = await call(fresh, 'GET', '/status/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toEqual({ message: 'no configuration available (empty configuration present)' });
      expect((await call(fresh, 'GET', '/status')).body.configuration_hash).toBe(EMPTY_CONFIG_HASH);
      fresh.store.apply(fixtureConfig(), '0123456789abcdef0123456789abcdef');
      expect((await call(fresh, 'GET', '/status/ready')).body).toEqual({ message: 'ready' });
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /endpoints', () => {
  it('lists the paths this Admin API serves', async () => {
    const response = await call(admin, 'GET', '/endpoints');
    expect(response.body.data).toEqual(expect.arrayContaining(['/', '/config', '/status', '/services', '/key-auths/{keyauth_credentials}', '/consumers/{consumers}/key-auth', '/routes/{routes}/service']));
  });
});

describe('/_labkit/rate-limiting/counters (not Kong: the harness resets counters between labs)', () => {
  it('counts live counters and drops them all on DELETE', async () => {
    admin.counters.entries.set('ratelimit:a', 1);
    admin.counters.entries.set('ratelimit:b', 2);
    const before = await call(admin, 'GET', '/_labkit/rate-limiting/counters');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ counters: 2 });

    const cleared = await call(admin, 'DELETE', '/_labkit/rate-limiting/counters');
    expect(cleared.status).toBe(204);
    expect(cleared.text).toBe('');
    expect((await call(admin, 'GET', '/_labkit/rate-limiting/counters')).body).toEqual({ counters: 0 });

    expect((await call(admin, 'POST', '/_labkit/rate-limiting/counters')).status).toBe(405);
    expect((await call(admin, 'GET', '/_labkit/other')).status).toBe(404);
  });
});

// proxy-cache end to end, after spec/03-plugins/31-proxy-cache/02-access_spec.lua and 03-api_spec.lua:
// a scripted upstream counts what reaches it and answers with the status, type and Cache-Control
// each test asks for, so Miss → Hit, Bypass, Refresh, the key's parts and the purge API are seen
// from the client's side and the upstream's.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const ROUTE_ID = 'a1a1a1a1-0000-4000-8000-000000000001';
const OTHER_ROUTE_ID = 'a2a2a2a2-0000-4000-8000-000000000002';
const PLUGIN_ID = 'b1b1b1b1-0000-4000-8000-000000000001';

interface Scripted {
  port: number;
  hits: () => number;
  reset: () => void;
  close: () => Promise<void>;
}

/** Answers from its query: status, ct (Content-Type), cc (Cache-Control), body; echoes the path. */
async function startScriptedUpstream(): Promise<Scripted> {
  let hits = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits++;
    const url = new URL(req.url ?? '/', 'http://upstream');
    const headers: Record<string, string> = {
      'Content-Type': url.searchParams.get('ct') ?? 'application/json',
      'X-Upstream-Count': String(hits),
      'Set-Cookie': 'flavour=oat',
    };
    const cc = url.searchParams.get('cc');
    if (cc !== null) headers['Cache-Control'] = cc;
    const body = url.searchParams.get('body') ?? JSON.stringify({ path: url.pathname, count: hits });
    res.writeHead(Number(url.searchParams.get('status') ?? 200), headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    hits: () => hits,
    reset: () => (hits = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function declaration(config: Record<string, unknown> = {}, extra: { plugins?: unknown[]; consumers?: unknown[] } = {}) {
  return {
    _format_version: '3.0',
    services: [
      {
        name: 'scripted',
        url: 'http://httpbin.kong.svc.cluster.local:8000',
        routes: [
          { id: ROUTE_ID, name: 'cached', paths: ['/cached'] },
          { id: OTHER_ROUTE_ID, name: 'other', paths: ['/other'] },
        ],
      },
    ],
    consumers: extra.consumers ?? [],
    plugins: [{ id: PLUGIN_ID, name: 'proxy-cache', config: { strategy: 'memory', ...config } }, ...(extra.plugins ?? [])],
  };
}

let upstream: Scripted;
let gateway: RunningGateway;

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await request(`http://127.0.0.1:${gateway.proxy.port}${path}`, { method, headers });
  const body = await response.body.text();
  const header = (name: string): string | undefined => {
    const value = response.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: response.statusCode, body, header, headers: response.headers };
}

async function admin(method: string, path: string) {
  const response = await request(`http://127.0.0.1:${gateway.admin.port}${path}`, { method });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? JSON.parse(text) : null };
}

async function configure(config: Record<string, unknown> = {}, extra: Parameters<typeof declaration>[1] = {}): Promise<void> {
  const result = await postConfig(gateway, declaration(config, extra));
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  expect((await admin('DELETE', '/proxy-cache')).status).toBe(204);
  upstream.reset();
}

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startTestGateway(upstream.port);
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

beforeEach(() => {
  vi.restoreAllMocks();
});

describe('proxy-cache: Miss, then Hit', () => {
  it('stores the first answer and replays it with its headers, age, Hit and the same 64-hex key', async () => {
    await configure();
    const miss = await get('/cached/one');
    expect(miss.status).toBe(200);
    expect(miss.header('X-Cache-Status')).toBe('Miss');
    const key = miss.header('X-Cache-Key');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(miss.header('age')).toBeUndefined();

    const hit = await get('/cached/one');
    expect(upstream.hits()).toBe(1);
    expect(hit.status).toBe(200);
    expect(hit.header('X-Cache-Status')).toBe('Hit');
    expect(hit.header('X-Cache-Key')).toBe(key);
    expect(hit.header('age')).toMatch(/^\d+$/);
    expect(hit.body).toBe(miss.body);
    expect(hit.header('X-Upstream-Count')).toBe('1');
    expect(hit.header('Set-Cookie')).toBe('flavour=oat');
    expect(hit.header('Content-Length')).toBe(String(Buffer.byteLength(miss.body)));
    // Kong counts a hit as proxied: upstream latency 0, no response latency.
    expect(hit.header('X-Kong-Upstream-Latency')).toBe('0');
    expect(hit.header('X-Kong-Response-Latency')).toBeUndefined();
  });

  it('Age counts the seconds since the entry was stored', async () => {
    await configure();
    await get('/cached/aged');
    const stored = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(stored + 7_000);
    const hit = await get('/cached/aged');
    expect(hit.header('X-Cache-Status')).toBe('Hit');
    expect(Number(hit.header('age'))).toBeGreaterThanOrEqual(6);
    expect(Number(hit.header('age'))).toBeLessThanOrEqual(8);
  });

  it('past cache_ttl the entry is gone from storage too (storage ttl = cache_ttl): a Miss', async () => {
    await configure({ cache_ttl: 2 });
    await get('/cached/gone');
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 5_000);
    expect((await get('/cached/gone')).header('X-Cache-Status')).toBe('Miss');
  });

  it('Refresh after cache_ttl while storage_ttl keeps it: the upstream is asked again and the entry replaced', async () => {
    await configure({ cache_ttl: 2, storage_ttl: 60 });
    await get('/cached/ttl');
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 5_000);
    const refreshed = await get('/cached/ttl');
    expect(refreshed.header('X-Cache-Status')).toBe('Refresh');
    expect(upstream.hits()).toBe(2);
    const hit = await get('/cached/ttl');
    expect(hit.header('X-Cache-Status')).toBe('Hit');
    expect(hit.header('X-Upstream-Count')).toBe('2');
  });

  it('HEAD is cached on its own key and answered without a body', async () => {
    await configure();
    const first = await get('/cached/head', {}, 'HEAD');
    const second = await get('/cached/head', {}, 'HEAD');
    expect(first.header('X-Cache-Status')).toBe('Miss');
    expect(second.header('X-Cache-Status')).toBe('Hit');
    expect(second.body).toBe('');
    const getMiss = await get('/cached/head');
    expect(getMiss.header('X-Cache-Status')).toBe('Miss');
  });
});

describe('proxy-cache: what is not cached', () => {
  it('Bypass for a method outside request_method; nothing stored', async () => {
    await configure();
    expect((await get('/cached/post', {}, 'POST')).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/post', {}, 'POST')).header('X-Cache-Status')).toBe('Bypass');
    expect(upstream.hits()).toBe(2);
  });

  it('POST is cached when request_method lists it', async () => {
    await configure({ request_method: ['POST'] });
    await get('/cached/post', {}, 'POST');
    expect((await get('/cached/post', {}, 'POST')).header('X-Cache-Status')).toBe('Hit');
  });

  it('Bypass for a status outside response_code, and 404 is cached by default', async () => {
    await configure();
    expect((await get('/cached/x?status=500')).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/x?status=500')).header('X-Cache-Status')).toBe('Bypass');
    await get('/cached/x?status=404');
    const notFound = await get('/cached/x?status=404');
    expect(notFound.status).toBe(404);
    expect(notFound.header('X-Cache-Status')).toBe('Hit');
  });

  it('Bypass for a content type outside content_type; parameters must match exactly; wildcards work', async () => {
    await configure();
    expect((await get('/cached/x?ct=text/html')).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/x?ct=application/json;%20charset=utf-8')).header('X-Cache-Status')).toBe('Bypass');
    await configure({ content_type: ['text/*', 'application/json; charset=utf-8'] });
    await get('/cached/x?ct=text/html');
    expect((await get('/cached/x?ct=text/html')).header('X-Cache-Status')).toBe('Hit');
    await get('/cached/x?ct=application/json;%20charset=utf-8');
    expect((await get('/cached/x?ct=application/json;%20charset=utf-8')).header('X-Cache-Status')).toBe('Hit');
  });

  it('ignores Cache-Control unless cache_control is on', async () => {
    await configure();
    await get('/cached/x?cc=no-store');
    expect((await get('/cached/x?cc=no-store', { 'Cache-Control': 'no-cache' })).header('X-Cache-Status')).toBe('Hit');
  });
});

describe('proxy-cache: cache_control (RFC 7234)', () => {
  it('honours the request: no-store and no-cache bypass, only-if-cached answers 504 on a miss', async () => {
    await configure({ cache_control: true });
    expect((await get('/cached/cc?cc=max-age%3D60', { 'Cache-Control': 'no-store' })).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/cc?cc=max-age%3D60', { 'Cache-Control': 'no-cache' })).header('X-Cache-Status')).toBe('Bypass');
    const onlyCached = await get('/cached/never?cc=max-age%3D60', { 'Cache-Control': 'only-if-cached' });
    expect(onlyCached.status).toBe(504);
    expect(upstream.hits()).toBe(2);
  });

  it('honours the response: private, no-store, and no lifetime bypass; max-age is the lifetime', async () => {
    await configure({ cache_control: true });
    expect((await get('/cached/cc?cc=private,%20max-age%3D60')).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/cc?cc=no-store')).header('X-Cache-Status')).toBe('Bypass');
    expect((await get('/cached/cc?cc=public')).header('X-Cache-Status')).toBe('Bypass');
    await get('/cached/cc?cc=max-age%3D3');
    expect((await get('/cached/cc?cc=max-age%3D3')).header('X-Cache-Status')).toBe('Hit');
    const entry = await admin('GET', `/proxy-cache/${(await get('/cached/cc?cc=max-age%3D3')).header('X-Cache-Key')}`);
    expect(entry.body.ttl).toBe(3);
  });

  it('a client max-age older than the entry means Refresh', async () => {
    await configure({ cache_control: true });
    await get('/cached/cc?cc=max-age%3D60');
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 10_000);
    expect((await get('/cached/cc?cc=max-age%3D60', { 'Cache-Control': 'max-age=5' })).header('X-Cache-Status')).toBe('Refresh');
    expect((await get('/cached/cc?cc=max-age%3D60', { 'Cache-Control': 'max-age=30' })).header('X-Cache-Status')).toBe('Hit');
  });
});

describe('proxy-cache: the key', () => {
  it('differs by path, query, route and method; ignore_uri_case folds the path', async () => {
    await configure();
    const a = (await get('/cached/key?x=1')).header('X-Cache-Key');
    expect((await get('/cached/key?x=2')).header('X-Cache-Key')).not.toBe(a);
    expect((await get('/cached/KEY?x=1')).header('X-Cache-Key')).not.toBe(a);
    expect((await get('/other/key?x=1')).header('X-Cache-Key')).not.toBe(a);
    // Argument order does not matter: params are sorted by name.
    const ab = (await get('/cached/key?a=1&b=2')).header('X-Cache-Key');
    expect((await get('/cached/key?b=2&a=1')).header('X-Cache-Key')).toBe(ab);
    await configure({ ignore_uri_case: true });
    const lower = (await get('/cached/key')).header('X-Cache-Key');
    expect((await get('/cached/KEY')).header('X-Cache-Key')).toBe(lower);
    expect((await get('/cached/KEY')).header('X-Cache-Status')).toBe('Hit');
  });

  it('vary_query_params: only the listed args count', async () => {
    await configure({ vary_query_params: ['page'] });
    const first = (await get('/cached/v?page=1&utm=a')).header('X-Cache-Key');
    const again = await get('/cached/v?page=1&utm=b');
    expect(again.header('X-Cache-Key')).toBe(first);
    expect(again.header('X-Cache-Status')).toBe('Hit');
    expect((await get('/cached/v?page=2&utm=a')).header('X-Cache-Key')).not.toBe(first);
  });

  it('vary_headers: the listed headers split the cache, others do not', async () => {
    await configure({ vary_headers: ['X-Tenant'] });
    const a = await get('/cached/h', { 'x-tenant': 'a', 'x-other': '1' });
    const a2 = await get('/cached/h', { 'X-Tenant': 'a', 'x-other': '2' });
    const b = await get('/cached/h', { 'X-Tenant': 'b' });
    expect(a2.header('X-Cache-Key')).toBe(a.header('X-Cache-Key'));
    expect(a2.header('X-Cache-Status')).toBe('Hit');
    expect(b.header('X-Cache-Key')).not.toBe(a.header('X-Cache-Key'));
    expect(b.header('X-Cache-Status')).toBe('Miss');
  });
});

describe('proxy-cache: headers and storage', () => {
  it('response_headers turns the diagnostic headers off; Kong-Debug brings them back', async () => {
    await configure({ response_headers: { age: false, 'X-Cache-Status': false, 'X-Cache-Key': false } });
    const miss = await get('/cached/quiet');
    const hit = await get('/cached/quiet');
    expect(upstream.hits()).toBe(1);
    for (const response of [miss, hit]) {
      expect(response.header('X-Cache-Status')).toBeUndefined();
      expect(response.header('X-Cache-Key')).toBeUndefined();
      expect(response.header('age')).toBeUndefined();
    }
    const debug = await get('/cached/quiet', { 'Kong-Debug': '1' });
    expect(debug.header('X-Cache-Status')).toBe('Hit');
    expect(debug.header('age')).toBeDefined();
  });

  it('storage_ttl keeps an entry past cache_ttl (stale entries are refreshed, not served)', async () => {
    await configure({ cache_ttl: 1, storage_ttl: 100 });
    const miss = await get('/cached/store');
    const entry = await admin('GET', `/proxy-cache/${miss.header('X-Cache-Key')}`);
    expect(entry.status).toBe(200);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 50_000);
    expect((await admin('GET', `/proxy-cache/${miss.header('X-Cache-Key')}`)).status).toBe(200);
    expect((await get('/cached/store')).header('X-Cache-Status')).toBe('Refresh');
  });

  it('KONG_MEM_CACHE_SIZE caps the dict: the least recently used entry goes first', async () => {
    const small = await startTestGateway(upstream.port, { KONG_MEM_CACHE_SIZE: '10k' });
    try {
      expect((await postConfig(small, declaration())).status).toBe(201);
      const at = (path: string) => request(`http://127.0.0.1:${small.proxy.port}${path}`).then(async (r) => {
        await r.body.text();
        return r.headers['x-cache-status'];
      });
      const body = 'x'.repeat(4000);
      await at(`/cached/a?ct=text/plain&body=${body}`);
      await at(`/cached/b?ct=text/plain&body=${body}`);
      expect(await at(`/cached/a?ct=text/plain&body=${body}`)).toBe('Hit');
      await at(`/cached/c?ct=text/plain&body=${body}`);
      expect(await at(`/cached/a?ct=text/plain&body=${body}`)).toBe('Hit');
      expect(await at(`/cached/c?ct=text/plain&body=${body}`)).toBe('Hit');
      expect(await at(`/cached/b?ct=text/plain&body=${body}`)).toBe('Miss');
    } finally {
      await small.close();
    }
  });

  it('two gateways in one process keep separate caches', async () => {
    await configure();
    await get('/cached/mine');
    const second = await startTestGateway(upstream.port);
    try {
      expect((await postConfig(second, declaration())).status).toBe(201);
      const response = await request(`http://127.0.0.1:${second.proxy.port}/cached/mine`);
      await response.body.text();
      expect(response.headers['x-cache-status']).toBe('Miss');
    } finally {
      await second.close();
    }
  });
});

describe('proxy-cache behind key-auth', () => {
  const consumers = [
    { username: 'alice', keyauth_credentials: [{ key: 'alice-key' }] },
    { username: 'bob', keyauth_credentials: [{ key: 'bob-key' }] },
  ];

  it('never serves a cached body to a request key-auth refuses, and keys the cache per consumer', async () => {
    await configure({}, { consumers, plugins: [{ name: 'key-auth' }] });
    const alice = await get('/cached/secret', { apikey: 'alice-key' });
    expect((await get('/cached/secret', { apikey: 'alice-key' })).header('X-Cache-Status')).toBe('Hit');
    expect(upstream.hits()).toBe(1);

    const anonymous = await get('/cached/secret');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain('"count"');
    expect(anonymous.header('X-Cache-Status')).toBeUndefined();
    const wrong = await get('/cached/secret', { apikey: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain('"count"');

    const bob = await get('/cached/secret', { apikey: 'bob-key' });
    expect(bob.header('X-Cache-Status')).toBe('Miss');
    expect(bob.header('X-Cache-Key')).not.toBe(alice.header('X-Cache-Key'));
    expect(upstream.hits()).toBe(2);
  });
});

describe('proxy-cache Admin API', () => {
  it('GET and DELETE one entry, globally and through its plugin; DELETE /proxy-cache flushes all', async () => {
    await configure();
    const key = (await get('/cached/api')).header('X-Cache-Key')!;
    const entry = await admin('GET', `/proxy-cache/${key}`);
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({ status: 200, version: 1, ttl: 300 });
    expect(JSON.parse(entry.body.body)).toEqual({ path: '/api', count: 1 });
    expect(entry.body.headers['Content-Type']).toBe('application/json');
    expect((await admin('GET', `/proxy-cache/${PLUGIN_ID}/caches/${key}`)).status).toBe(200);
    expect((await admin('GET', `/proxy-cache/${OTHER_ROUTE_ID}/caches/${key}`)).status).toBe(404);

    expect((await admin('DELETE', `/proxy-cache/${PLUGIN_ID}/caches/${key}`)).status).toBe(204);
    expect((await admin('GET', `/proxy-cache/${key}`)).status).toBe(404);
    expect((await admin('DELETE', `/proxy-cache/${key}`)).status).toBe(404);
    expect((await get('/cached/api')).header('X-Cache-Status')).toBe('Miss');

    expect((await admin('DELETE', `/proxy-cache/${key}`)).status).toBe(204);
    expect((await get('/cached/api')).header('X-Cache-Status')).toBe('Miss');
    await get('/cached/api2');
    expect((await admin('DELETE', '/proxy-cache')).status).toBe(204);
    expect((await get('/cached/api')).header('X-Cache-Status')).toBe('Miss');
    expect((await get('/cached/api2')).header('X-Cache-Status')).toBe('Miss');
    expect((await admin('POST', '/proxy-cache')).status).toBe(405);
  });
});

describe('proxy-cache declarations', () => {
  it('refuses a strategy other than memory and an unknown dict, leaving the running config alone', async () => {
    await configure();
    const redis = await postConfig(gateway, declaration({ strategy: 'redis' }));
    expect(redis.status).toBe(400);
    expect(JSON.stringify(redis.body)).toContain('expected one of: memory');
    const dict = await postConfig(gateway, declaration({ memory: { dictionary_name: 'my_cache' } }));
    expect(dict.status).toBe(400);
    expect(JSON.stringify(dict.body)).toContain("missing shared dict 'my_cache'");
    expect((await postConfig(gateway, declaration({ memory: { dictionary_name: 'kong_db_cache' } }))).status).toBe(201);
    const bad = await postConfig(gateway, declaration({ response_code: [] }));
    expect(JSON.stringify(bad.body)).toContain('length must be at least 1');
    expect((await get('/cached/still')).header('X-Cache-Status')).toBe('Miss');
  });
});

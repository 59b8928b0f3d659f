// Accepted declarations that used to freeze or break the proxy (issue 12): each now either loads
// and proxies, or is refused at load with the running configuration kept.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const UPSTREAM = 'http://httpbin.kong.svc.cluster.local:8000';

let upstream: RunningUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEmbeddedHttpbin();
  gateway = await startTestGateway(upstream.port);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

/** A declaration with a plain known route next to the routes under test. */
function declaration(routes: Record<string, unknown>[], plugins: Record<string, unknown>[] = []): Record<string, unknown> {
  return {
    _format_version: '3.0',
    services: [{ name: 'svc', url: UPSTREAM, routes: [{ name: 'known', paths: ['/known'] }, ...routes] }],
    plugins,
  };
}

async function get(path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await request(`http://127.0.0.1:${gateway.proxy.port}${path}`, {
    headers,
    // A frozen event loop fails the request instead of hanging the test.
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await response.body.dump();
  return response.statusCode;
}

async function status(): Promise<number> {
  const response = await request(`http://127.0.0.1:${gateway.admin.port}/status`, { headersTimeout: 10_000 });
  await response.body.dump();
  return response.statusCode;
}

beforeEach(async () => {
  expect((await postConfig(gateway, declaration([]))).status).toBe(201);
});

describe('route regexes (items 2 and 7)', () => {
  it('backtracking shapes load and answer at once, admin included (item 2)', async () => {
    const loaded = await postConfig(
      gateway,
      declaration([
        { name: 'r1', paths: ['~/anything/(a+)+$'], strip_path: false },
        { name: 'r2', paths: ['~/anything/(a|a)*$'], strip_path: false },
        { name: 'r3', paths: ['~/anything/(a*)*b'], strip_path: false },
      ]),
    );
    expect(loaded.status).toBe(201);
    expect(await get(`/anything/${'a'.repeat(32)}!`)).toBe(404);
    expect(await get(`/anything/${'a'.repeat(32)}`)).toBe(200);
    expect(await get(`/anything/${'a'.repeat(32)}b`)).toBe(200);
    expect(await status()).toBe(200);
    expect(await get('/known/get')).toBe(200);
  });

  it('a regex of 40,000 characters never makes requests fail (item 7)', async () => {
    const before = gateway.store.current.hash;
    const loaded = await postConfig(gateway, declaration([{ name: 'huge', paths: [`~/${'a'.repeat(40_000)}`] }]));
    if (loaded.status === 400) {
      expect(gateway.store.current.hash).toBe(before);
    } else {
      expect(loaded.status).toBe(201);
      // Every request runs the regex (it is tried before no route matches).
      expect(await get(`/${'a'.repeat(100)}`)).toBe(404);
    }
    expect(await get('/known/get')).toBe(200);
    expect(await get('/nothing-here')).toBe(404);
  });

  it('a header regex that does not compile is refused at load', async () => {
    const before = gateway.store.current.hash;
    const refused = await postConfig(gateway, declaration([{ name: 'bad', paths: ['/h'], headers: { 'x-a': ['~*(unclosed'] } }]));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.fields.services[0].routes[1].headers)).toMatch(/invalid regex: '\(unclosed'/);
    expect(gateway.store.current.hash).toBe(before);
    expect(await get('/known/get')).toBe(200);
  });
});

describe('route header conditions named like Object.prototype members (item 6)', () => {
  it('a condition on `constructor` only matches requests that send it; other routes work', async () => {
    const loaded = await postConfig(gateway, declaration([{ name: 'ctor', paths: ['/ctor'], headers: { constructor: ['yes'] } }]));
    expect(loaded.status).toBe(201);
    expect(await get('/known/get')).toBe(200);
    expect(await get('/ctor/get')).toBe(404);
    expect(await get('/ctor/get', { constructor: 'yes' })).toBe(200);
  });

  it('a condition on `__proto__` is enforced, not dropped', async () => {
    const loaded = await postConfig(
      gateway,
      JSON.parse(
        `{"_format_version":"3.0","services":[{"name":"svc","url":"${UPSTREAM}","routes":[{"name":"known","paths":["/known"]},` +
          `{"name":"proto","paths":["/proto"],"headers":{"__proto__":["yes"]}}]}]}`,
      ),
    );
    expect(loaded.status).toBe(201);
    expect(await get('/proto/get')).toBe(404);
    // nginx reads `_` in a header name as `-`.
    expect(await get('/proto/get', { '--proto--': 'yes' })).toBe(200);
  });
});

describe('key_names: {} (item 12)', () => {
  it('loads as an empty list: requests get key-auth’s 401, not a 500', async () => {
    const loaded = await postConfig(gateway, declaration([], [{ name: 'key-auth', config: { key_names: {} } }]));
    expect(loaded.status).toBe(201);
    expect(await get('/known/get', { apikey: 'anything' })).toBe(401);
    expect(await status()).toBe(200);
  });
});

describe('KONG_DECLARATIVE_CONFIG (item 14)', () => {
  it('refuses a file that is not UTF-8, naming the byte', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'labkit-utf8-')), 'kong.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('_format_version: "3.0"\nconsumers:\n- username: a'), Buffer.from([0xff]), Buffer.from('\n')]));
    await expect(startTestGateway(upstream.port, { KONG_DECLARATIVE_CONFIG: file })).rejects.toThrow(/invalid UTF-8 at byte 47/);
  });
});

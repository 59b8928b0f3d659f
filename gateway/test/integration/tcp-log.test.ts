// tcp-log end to end, after spec/03-plugins/01-tcp-log/01-tcp-log_spec.lua: a TCP sink receives one
// JSON line per request, in Kong's serializer shape; keys never reach it; a sink that is down does not
// change what the client gets; sink host names resolve like upstreams (overrides, hosts file).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import { startTcpLogSink, type TcpLogSink } from '../../../harness/src/sink/tcp-log-sink.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const ROUTE_ID = 'a1a1a1a1-0000-4000-8000-000000000001';
const CONSUMER_ID = 'c1c1c1c1-0000-4000-8000-000000000001';
const KEY = 'top-secret-key-123';

let upstream: RunningUpstream;
let sink: TcpLogSink;
let gateway: RunningGateway;

function declaration(tcpLog: Record<string, unknown>, extraPlugins: unknown[] = []) {
  return {
    _format_version: '3.0',
    services: [
      {
        name: 'echo',
        url: 'http://httpbin.kong.svc.cluster.local:8000',
        routes: [
          { id: ROUTE_ID, name: 'logged', paths: ['/logged'] },
          { name: 'guarded', paths: ['/guarded'], plugins: [{ name: 'key-auth' }] },
        ],
      },
    ],
    consumers: [{ id: CONSUMER_ID, username: 'consumer2', custom_id: 'c-2', keyauth_credentials: [{ id: '1d1d1d1d-0000-4000-8000-000000000001', key: KEY }] }],
    plugins: [{ name: 'tcp-log', config: tcpLog }, ...extraPlugins],
  };
}

async function configure(tcpLog: Record<string, unknown>, extra: unknown[] = [], target = gateway): Promise<void> {
  const result = await postConfig(target, declaration(tcpLog, extra));
  expect(result.status, JSON.stringify(result.body)).toBe(201);
}

async function send(path: string, headers: Record<string, string> = {}, target = gateway) {
  const response = await request(`http://127.0.0.1:${target.proxy.port}${path}`, { headers });
  const body = await response.body.text();
  return { status: response.statusCode, body, requestId: response.headers['x-kong-request-id'] as string };
}

beforeAll(async () => {
  upstream = await startEmbeddedHttpbin();
  sink = await startTcpLogSink();
  gateway = await startTestGateway(upstream.port);
});

afterAll(async () => {
  await gateway?.close();
  await sink?.close();
  await upstream?.close();
});

describe('tcp-log: one line per request, Kong serializer shape', () => {
  it('logs a proxied request with request, upstream, response, latencies, tries, route, service and workspace', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const sent = await send('/logged/get?page=2', { 'X-Demo': 'yes' });
    expect(sent.status).toBe(200);
    const { json, raw } = await sink.lineFor(sent.requestId);
    expect(raw.includes('\n')).toBe(false);
    expect(json).toMatchObject({
      request: {
        id: sent.requestId,
        method: 'GET',
        uri: '/logged/get?page=2',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/logged\/get\?page=2$/),
        querystring: { page: '2' },
        headers: { 'x-demo': 'yes', host: expect.any(String) },
        size: expect.any(Number),
      },
      upstream_uri: '/get?page=2',
      upstream_status: '200',
      response: { status: 200, headers: { 'content-type': 'application/json', 'x-kong-request-id': sent.requestId }, size: expect.any(Number) },
      latencies: { kong: expect.any(Number), proxy: expect.any(Number), request: expect.any(Number), receive: expect.any(Number) },
      tries: [{ ip: '127.0.0.1', port: upstream.port }],
      route: { id: ROUTE_ID, name: 'logged' },
      service: { name: 'echo', host: 'httpbin.kong.svc.cluster.local', port: 8000 },
      client_ip: '127.0.0.1',
      started_at: expect.any(Number),
      source: 'upstream',
      workspace: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspace_name: 'default',
    });
    // lua-cjson's text: compact, `/` escaped, fields in the serializer's order.
    expect(raw).toBe(JSON.stringify(json).replace(/\//g, '\\/'));
    expect(Object.keys(json!)).toEqual([
      'request', 'upstream_uri', 'upstream_status', 'response', 'latencies', 'tries', 'route', 'service',
      'client_ip', 'started_at', 'source', 'workspace', 'workspace_name',
    ]);
    expect(json!.request.tls).toBeUndefined();
    expect(json!.consumer).toBeUndefined();
    expect(json!.authenticated_entity).toBeUndefined();
    expect(json!.latencies.proxy).toBeGreaterThanOrEqual(0);
    expect(json!.response.size).toBeGreaterThan(json!.response.headers['content-length'] * 1);
  });

  it('a new configuration is logged with its own route, service and consumer, never the last one\'s', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const first = await sink.lineFor((await send('/guarded/get', { apikey: KEY })).requestId);
    expect(first.json).toMatchObject({ route: { name: 'guarded' }, service: { name: 'echo' }, consumer: { username: 'consumer2' } });
    const renamed = declaration({ host: '127.0.0.1', port: sink.port });
    renamed.services[0].name = 'echo-renamed';
    renamed.services[0].routes[1].name = 'guarded-renamed';
    renamed.consumers[0].username = 'consumer2-renamed';
    const result = await postConfig(gateway, renamed);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const second = await sink.lineFor((await send('/guarded/get', { apikey: KEY })).requestId);
    expect(second.json).toMatchObject({ route: { name: 'guarded-renamed' }, service: { name: 'echo-renamed' }, consumer: { username: 'consumer2-renamed' } });
    expect(second.raw).not.toContain('"guarded"');
  });

  it('a Kong-generated answer is logged too: source kong, no upstream', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const refused = await send('/guarded/get');
    expect(refused.status).toBe(401);
    const { json } = await sink.lineFor(refused.requestId);
    expect(json).toMatchObject({ response: { status: 401 }, source: 'kong', upstream_uri: '', upstream_status: '', latencies: { proxy: -1 } });
    expect(json!.tries).toBeUndefined();
  });
});

describe('tcp-log: credentials', () => {
  it('names the consumer and the credential, and never writes the key: header, query, uri, url, upstream_uri', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const inHeader = await send('/guarded/get', { apikey: KEY });
    expect(inHeader.status).toBe(200);
    const header = await sink.lineFor(inHeader.requestId);
    expect(header.json).toMatchObject({
      consumer: { id: CONSUMER_ID, username: 'consumer2', custom_id: 'c-2' },
      authenticated_entity: { id: '1d1d1d1d-0000-4000-8000-000000000001', consumer_id: CONSUMER_ID },
      request: { headers: { apikey: 'REDACTED' } },
    });
    expect(header.raw).not.toContain(KEY);

    const inQuery = await send(`/guarded/anything?apikey=${KEY}&page=1`);
    expect(inQuery.status).toBe(200);
    const query = await sink.lineFor(inQuery.requestId);
    expect(query.json!.request.querystring).toEqual({ apikey: 'REDACTED', page: '1' });
    expect(query.json!.request.uri).toBe('/guarded/anything?apikey=REDACTED&page=1');
    expect(query.json!.upstream_uri).toBe('/anything?apikey=REDACTED&page=1');
    expect(query.raw).not.toContain(KEY);

    // A wrong key is still a key someone typed: it is not logged either.
    const wrong = await send('/guarded/get?apikey=almost-the-key');
    expect(wrong.status).toBe(401);
    const refused = await sink.lineFor(wrong.requestId);
    expect(refused.raw).not.toContain('almost-the-key');
    expect(refused.json!.consumer).toBeUndefined();
  });

  it('redacts Authorization and Proxy-Authorization as Kong does', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const sent = await send('/logged/get', { Authorization: 'Basic dXNlcjpwYXNz', 'Proxy-Authorization': 'Bearer abc' });
    const { json, raw } = await sink.lineFor(sent.requestId);
    expect(json!.request.headers.authorization).toBe('REDACTED');
    expect(json!.request.headers['proxy-authorization']).toBe('REDACTED');
    expect(raw).not.toContain('dXNlcjpwYXNz');
  });
});

describe('tcp-log: connections', () => {
  it('keeps the connection and reuses it for the next lines; closes it once idle for keepalive ms', async () => {
    const keeping = await startTcpLogSink();
    try {
      await configure({ host: '127.0.0.1', port: keeping.port, keepalive: 60000 });
      for (let i = 0; i < 3; i++) await keeping.lineFor((await send('/logged/get')).requestId);
      expect(keeping.connections()).toBe(1);
      expect(keeping.openConnections()).toBe(1);
      await configure({ host: '127.0.0.1', port: keeping.port, keepalive: 50 });
      await keeping.lineFor((await send('/logged/get')).requestId);
      // The gateway ends the idle connection itself: wait for the sink to see it go (bounded).
      for (let i = 0; i < 100 && keeping.openConnections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(keeping.openConnections()).toBe(0);
      await keeping.lineFor((await send('/logged/get')).requestId);
      expect(keeping.connections()).toBe(2);
    } finally {
      await keeping.close();
    }
  });

  it('a sink that is down, or one that resets every connection, changes nothing for the client', async () => {
    const closed = await startTcpLogSink();
    const deadPort = closed.port;
    await closed.close();
    await configure({ host: '127.0.0.1', port: deadPort, timeout: 1000 });
    for (let i = 0; i < 5; i++) {
      const sent = await send('/logged/get');
      expect(sent.status).toBe(200);
      expect(JSON.parse(sent.body).url).toMatch(/\/get$/);
    }
    const resetting = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    try {
      await configure({ host: '127.0.0.1', port: (resetting.address() as { port: number }).port });
      for (let i = 0; i < 3; i++) expect((await send('/logged/get')).status).toBe(200);
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
    // Back to a live sink: logging resumes.
    await configure({ host: '127.0.0.1', port: sink.port });
    await sink.lineFor((await send('/logged/get')).requestId);
  });

  it('resolves the sink host through KONG_UPSTREAM_OVERRIDES and the hosts file, never DNS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-hosts-'));
    const hostsFile = join(dir, 'hosts');
    writeFileSync(hostsFile, '127.0.0.1 logs.hosts-file.test\n');
    const other = await startTestGateway(upstream.port, {
      KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstream.port},logs.override.test:5170=127.0.0.1:${sink.port}`,
      KONG_DNS_HOSTSFILE: hostsFile,
    });
    try {
      await configure({ host: 'logs.override.test', port: 5170 }, [], other);
      await sink.lineFor((await send('/logged/get', {}, other)).requestId);
      await configure({ host: 'logs.hosts-file.test', port: sink.port }, [], other);
      await sink.lineFor((await send('/logged/get', {}, other)).requestId);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tcp-log declarations', () => {
  it('refuses tls: true and custom_fields_by_lua with a reason, and keeps the running configuration', async () => {
    await configure({ host: '127.0.0.1', port: sink.port });
    const before = gateway.store.current.hash;
    const tls = await postConfig(gateway, declaration({ host: '127.0.0.1', port: sink.port, tls: true }));
    expect(tls.status).toBe(400);
    expect(JSON.stringify(tls.body)).toContain('tls: true is not supported by this gateway');
    const lua = await postConfig(gateway, declaration({ host: '127.0.0.1', port: sink.port, custom_fields_by_lua: { x: 'return 1' } }));
    expect(lua.status).toBe(400);
    expect(JSON.stringify(lua.body)).toContain('custom_fields_by_lua is not supported by this gateway');
    const noHost = await postConfig(gateway, declaration({ port: sink.port }));
    expect(noHost.status).toBe(400);
    expect(gateway.store.current.hash).toBe(before);
    await sink.lineFor((await send('/logged/get')).requestId);
  });
});

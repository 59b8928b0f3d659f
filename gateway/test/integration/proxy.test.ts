// Proxy behaviour that does not need the real httpbin: the embedded one is enough.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const REQUEST_ID = /^[0-9a-f]{32}$/;

describe('proxying through the gateway', () => {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;
  let proxy: string;
  let silent: Server;
  let silentPort: number;
  let closedPort: number;

  beforeAll(async () => {
    upstream = await startEmbeddedHttpbin();
    gateway = await startTestGateway(upstream.port);
    proxy = `http://127.0.0.1:${gateway.proxy.port}`;
    // Accepts connections and never answers: the read timeout must fire.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [
        {
          name: 'echo',
          url: `http://httpbin.kong.svc.cluster.local:8000/anything`,
          routes: [
            { name: 'echo-route', paths: ['/echo'] },
            { name: 'kept-route', paths: ['/kept'], strip_path: false },
          ],
        },
        { name: 'refused', url: `http://127.0.0.1:${closedPort}`, retries: 0, routes: [{ name: 'refused', paths: ['/refused'] }] },
        {
          name: 'slow',
          url: `http://127.0.0.1:${silentPort}`,
          read_timeout: 300,
          retries: 0,
          routes: [{ name: 'slow', paths: ['/slow'] }],
        },
        { name: 'nowhere', host: 'no-such-host.invalid', routes: [{ name: 'nowhere', paths: ['/nowhere'] }] },
        { name: 'tls-only', host: 'httpbin.kong.svc.cluster.local', port: 8000, routes: [{ name: 'tls', paths: ['/tls'], protocols: ['https'] }] },
      ],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    silent?.close();
  });

  async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    // curl sends Accept: */*, which is what selects JSON error pages.
    const headers = { accept: '*/*', ...init.headers };
    const response = await request(`${proxy}${path}`, { method: (init.method ?? 'GET') as 'GET', headers, body: init.body });
    const body = await response.body.text();
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body };
  }

  it('answers 404 with Kong body when no route matches', async () => {
    const response = await send('/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers['content-length']).toBe('103');
    expect(JSON.parse(response.body)).toEqual({ message: 'no Route matched with those values', request_id: response.headers['x-kong-request-id'] });
  });

  it('follows Accept for the error format', async () => {
    const text = await send('/nothing-here', { headers: { accept: 'text/plain' } });
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.body).toBe(`no Route matched with those values\nrequest_id: ${text.headers['x-kong-request-id']}\n`);
  });

  it('composes the upstream path and sends Kong’s forwarding headers', async () => {
    // httpbin hides proxy headers unless asked with show_env.
    const response = await send('/echo/bar?x=1&x=2&show_env=1', { headers: { 'x-forwarded-for': '10.1.1.1', via: '1.0 corp' } });
    expect(response.status).toBe(200);
    const echoed = JSON.parse(response.body);
    expect(echoed.url).toMatch(/\/anything\/bar\?x=1&x=2&show_env=1$/);
    expect(echoed.args).toEqual({ x: ['1', '2'], show_env: '1' });
    expect(echoed.headers['X-Forwarded-For']).toBe('10.1.1.1, 127.0.0.1');
    expect(echoed.headers['X-Forwarded-Prefix']).toBe('/echo');
    expect(echoed.headers['X-Forwarded-Path']).toBe('/echo/bar');
    expect(echoed.headers['X-Real-Ip']).toBe('127.0.0.1');
    expect(echoed.headers.Via).toBe('1.0 corp, 1.1 kong/3.11.0.0-enterprise-edition');
    expect(echoed.headers['X-Kong-Request-Id']).toBe(response.headers['x-kong-request-id']);
    expect(echoed.headers.Host).toBe('httpbin.kong.svc.cluster.local:8000');
    expect(response.headers.via).toBe('1.1 kong/3.11.0.0-enterprise-edition');
    expect(response.headers['x-kong-request-id']).toMatch(REQUEST_ID);
  });

  it('keeps the matched prefix when strip_path is false', async () => {
    const echoed = JSON.parse((await send('/kept/a')).body);
    expect(echoed.url).toMatch(/\/anything\/kept\/a$/);
    expect(echoed.headers['X-Forwarded-Prefix']).toBeUndefined();
  });

  it('streams request bodies to the upstream', async () => {
    const payload = JSON.stringify({ hello: 'world', list: [1, 2, 3] });
    const response = await send('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(JSON.parse(response.body).json).toEqual({ hello: 'world', list: [1, 2, 3] });
  });

  it('uses text/plain for upstream errors when the client names no type (error_default_type)', async () => {
    const response = await request(`${proxy}/refused`);
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(await response.body.text()).toMatch(/^An invalid response was received from the upstream server\nrequest_id: [0-9a-f]{32}\n$/);
  });

  it('answers 502 when the upstream refuses the connection', async () => {
    const response = await send('/refused');
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body).message).toBe('An invalid response was received from the upstream server');
  });

  it('answers 504 when the upstream does not answer within read_timeout', async () => {
    const response = await send('/slow');
    expect(response.status).toBe(504);
    expect(JSON.parse(response.body).message).toBe('The upstream server is timing out');
  });

  it('answers 503 when the upstream name does not resolve', async () => {
    const response = await send('/nowhere');
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body).message).toBe('name resolution failed');
  });

  it('answers 426 on plain HTTP for an https-only route', async () => {
    const response = await send('/tls');
    expect(response.status).toBe(426);
    expect(response.headers.upgrade).toBe('TLS/1.2, HTTP/1.1');
    expect(JSON.parse(response.body).message).toBe('Please use HTTPS protocol');
  });

  it('keeps serving the previous config when a declaration is rejected', async () => {
    const rejected = await postConfig(gateway, { _format_version: '3.0', services: [{ name: 'broken', port: 99999 }] });
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe(14);
    expect((await send('/echo/still-here')).status).toBe(200);
  });
});

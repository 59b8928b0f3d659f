// Kong's retries against raw TCP upstreams that misbehave on purpose: a pooled connection the
// upstream closed while the request was on its way, a fresh connection closed or refused, and an
// answer cut off mid-body. Kong (nginx) retries a try that failed before any response byte, does not
// count a failure on a reused keep-alive connection as a try, and never resends POST/PATCH once sent.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { request } from 'undici';
import type { RunningGateway } from '../../src/gateway.js';
import { createAccessLog, type AccessLogEntry } from '../../src/access-log.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

type Behaviour = (socket: Socket, indexOnConnection: number, head: string) => void;

interface RawUpstream {
  port: number;
  connections: number;
  requests: string[];
  behave: Behaviour;
  server: Server;
  sockets: Set<Socket>;
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok';

/** Reads requests (head plus Content-Length body) off each connection and lets `behave` answer them. */
async function rawUpstream(): Promise<RawUpstream> {
  const upstream: RawUpstream = { port: 0, connections: 0, requests: [], behave: (socket) => socket.write(OK), server: createServer(), sockets: new Set() };
  upstream.server.on('connection', (socket) => {
    upstream.connections += 1;
    upstream.sockets.add(socket);
    socket.on('close', () => upstream.sockets.delete(socket));
    let buffered = '';
    let index = 0;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const head = buffered.slice(0, headEnd);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        buffered = buffered.slice(headEnd + 4 + length);
        upstream.requests.push(head);
        upstream.behave(socket, index++, head);
      }
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.port = (upstream.server.address() as { port: number }).port;
  return upstream;
}

describe('upstream retries', () => {
  let upstream: RawUpstream;
  let gateway: RunningGateway;
  let closedPort: number;
  const logged: AccessLogEntry[] = [];

  async function configure(retries: number): Promise<void> {
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [
        { name: 'raw', url: `http://127.0.0.1:${upstream.port}`, retries, read_timeout: 2_000, routes: [{ name: 'raw', paths: ['/raw'] }] },
        { name: 'refused', url: `http://127.0.0.1:${closedPort}`, retries, routes: [{ name: 'refused', paths: ['/refused'] }] },
      ],
    });
    expect(created.status).toBe(201);
  }

  async function send(method: 'GET' | 'POST' | 'PUT', path = '/raw') {
    const response = await request(`http://127.0.0.1:${gateway.proxy.port}${path}`, { method, body: method === 'GET' ? undefined : 'payload' });
    let body: string | null = null;
    try {
      body = await response.body.text();
    } catch {
      body = null; // cut off mid-body
    }
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body };
  }

  beforeAll(async () => {
    upstream = await rawUpstream();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        callback();
      },
    });
    gateway = await startTestGateway(upstream.port, {}, { accessLog: createAccessLog(true, sink) });
  });

  afterEach(async () => {
    upstream.behave = (socket) => socket.write(OK);
    // Each test starts with an empty pool: connections it leaves are closed, and the gateway sees them close.
    for (const socket of upstream.sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => upstream?.server.close(resolve));
  });

  /** The upstream answers the first request on a connection, then closes that connection when the next one arrives. */
  function closeReusedConnections(): void {
    upstream.behave = (socket, index) => {
      if (index === 0) socket.write(OK);
      else socket.destroy();
    };
  }

  it('retries a GET on a new connection when the reused one was closed under it, without counting a try (retries 0)', async () => {
    await configure(0);
    closeReusedConnections();
    expect((await send('GET')).status).toBe(200);
    const [connections, requests] = [upstream.connections, upstream.requests.length];
    const second = await send('GET');
    expect(second.status).toBe(200);
    expect(second.body).toBe('ok');
    // The reused connection carried the request once, a new one carried it again.
    expect(upstream.requests.length - requests).toBe(2);
    expect(upstream.connections - connections).toBe(1);
  });

  it('does not resend a POST that went out on a reused connection closed before answering (nginx: non-idempotent), 502', async () => {
    await configure(5);
    closeReusedConnections();
    expect((await send('GET')).status).toBe(200);
    const requests = upstream.requests.length;
    const post = await send('POST');
    expect(post.status).toBe(502);
    expect(upstream.requests.length - requests).toBe(1);
  });

  it('retries a PUT (idempotent) whose reused connection was closed before answering', async () => {
    await configure(0);
    closeReusedConnections();
    expect((await send('GET')).status).toBe(200);
    const put = await send('PUT');
    expect(put.status).toBe(200);
    expect(upstream.requests.at(-1)).toMatch(/^PUT /);
  });

  it('counts a fresh connection closed before any response byte as a try: retries 3 means 4 tries, then 502', async () => {
    await configure(3);
    upstream.behave = (socket) => socket.destroy();
    const [connections, requests] = [upstream.connections, upstream.requests.length];
    const response = await send('GET');
    expect(response.status).toBe(502);
    expect(upstream.requests.length - requests).toBe(4);
    expect(upstream.connections - connections).toBe(4);
  });

  it('retries a refused connection up to retries, then answers 502 (every try in the error log)', async () => {
    await configure(2);
    const writes: string[] = [];
    const realWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let response;
    try {
      response = await send('GET', '/refused');
    } finally {
      process.stderr.write = realWrite;
    }
    expect(response.status).toBe(502);
    const tries = writes
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.event === 'upstream_error' && entry.request_id === response.headers['x-kong-request-id'])
      .map((entry) => entry.try);
    expect(tries).toEqual([1, 2, 3]);
  });

  it('never retries once the answer has started: a body cut mid-way reaches the client cut, sent upstream once (POST and GET)', async () => {
    await configure(5);
    upstream.behave = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
      setTimeout(() => socket.destroy(), 50);
    };
    for (const method of ['POST', 'GET'] as const) {
      const requests = upstream.requests.length;
      const response = await send(method);
      expect(response.status).toBe(200);
      expect(response.body).toBeNull();
      expect(upstream.requests.length - requests).toBe(1);
    }
  });

  it('does not resend a POST whose fresh connection was closed after the request went out', async () => {
    await configure(5);
    upstream.behave = (socket) => socket.destroy();
    const requests = upstream.requests.length;
    expect((await send('POST')).status).toBe(502);
    expect(upstream.requests.length - requests).toBe(1);
  });

  it('measures X-Kong-Upstream-Latency on the try that answered; the access log agrees and shows the upstream status', async () => {
    await configure(1);
    // First try: no answer until read_timeout (2 s) fires; second: at once.
    let first = true;
    upstream.behave = (socket) => {
      if (first) {
        first = false;
        return;
      }
      socket.write(OK);
    };
    const response = await send('GET');
    expect(response.status).toBe(200);
    const proxyLatency = Number(response.headers['x-kong-proxy-latency']);
    const upstreamLatency = Number(response.headers['x-kong-upstream-latency']);
    // Kong's proxy latency runs until the last try starts, so it holds the failed try's wait.
    expect(proxyLatency).toBeGreaterThanOrEqual(1_990);
    expect(upstreamLatency).toBeLessThan(proxyLatency);
    await new Promise((resolve) => setImmediate(resolve));
    const entry = logged.find((e) => e.request_id === response.headers['x-kong-request-id']);
    expect(entry).toMatchObject({ status: 200, upstream_status: 200, source: 'upstream' });
    expect(entry!.latencies.kong).toBe(proxyLatency);
    expect(entry!.latencies.proxy).toBe(upstreamLatency);
  });

  it('closes idle pooled connections after the keep-alive idle timeout (1 s), before gunicorn’s 2 s', async () => {
    await configure(0);
    expect((await send('GET')).status).toBe(200);
    const connections = upstream.connections;
    expect((await send('GET')).status).toBe(200);
    expect(upstream.connections).toBe(connections);
    await new Promise((resolve) => setTimeout(resolve, 1_400));
    expect((await send('GET')).status).toBe(200);
    expect(upstream.connections).toBe(connections + 1);
  });

  it('honours the upstream’s Keep-Alive: timeout= hint', async () => {
    await configure(0);
    // timeout=1: no time left to reuse the connection safely, so each request gets a new one.
    upstream.behave = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=1\r\n\r\nok');
    await send('GET');
    const connections = upstream.connections;
    expect((await send('GET')).status).toBe(200);
    expect(upstream.connections).toBe(connections + 1);
  });
});

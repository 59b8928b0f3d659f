import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRequestError, openConnections, send } from '../../src/http/index.js';

const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function failureOf(promise: Promise<unknown>): Promise<HttpRequestError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
}

describe('send()', () => {
  it('keeps the header names as the server spelled them, in its order, repeats included', async () => {
    const port = await listen(createServer((req, res) => {
      // writeHead with a flat array: exactly these lines, in this order, on the wire.
      res.writeHead(201, 'Made It', ['X-Zeta', '1', 'content-type', 'text/plain', 'Set-Cookie', 'a=1', 'X-RateLimit-Limit-Minute', '5', 'Set-Cookie', 'b=2']);
      res.end(`${req.method} ${req.url} ${req.rawHeaders.filter((_, i) => i % 2 === 0).join(',')}`);
    }));
    const response = await send(`http://127.0.0.1:${port}/x?y=1`, { method: 'POST', headers: [['X-First', 'a'], ['x-second', 'b']], body: 'hi' });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made It');
    const names = response.headers.map(([name]) => name);
    expect(names.slice(0, 5)).toEqual(['X-Zeta', 'content-type', 'Set-Cookie', 'X-RateLimit-Limit-Minute', 'Set-Cookie']);
    expect(response.headers.filter(([name]) => name === 'Set-Cookie').map(([, value]) => value)).toEqual(['a=1', 'b=2']);
    expect(response.header('x-ratelimit-limit-minute')).toBe('5');
    // The request's headers went out in the order and spelling given.
    expect(response.text()).toMatch(/^POST \/x\?y=1 host,.*\bX-First,x-second\b/);
  });

  it('does not follow redirects: a 301 is the answer', async () => {
    const port = await listen(createServer((_req, res) => {
      res.writeHead(301, { Location: '/elsewhere' });
      res.end();
    }));
    const response = await send(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(301);
    expect(response.header('location')).toBe('/elsewhere');
  });

  it('says what it could not reach, where, and why, when nothing listens', async () => {
    const port = await closedPort();
    const error = await failureOf(send(`http://127.0.0.1:${port}/status`, { target: "the gateway's Admin API" }));
    expect(error.message).toBe(`could not reach the gateway's Admin API at http://127.0.0.1:${port}/status: connection refused`);
    expect(error.failure).toBe('refused');
  });

  it('gives up after the total timeout with that in words', async () => {
    const sockets: Socket[] = [];
    // Accepts and never answers.
    const silent = createTcpServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    try {
      const error = await failureOf(send(`http://127.0.0.1:${port}/slow`, { target: 'httpbin', timeouts: { totalMs: 300 } }));
      expect(error.message).toBe(`could not reach httpbin at http://127.0.0.1:${port}/slow: no complete answer within 0.3 s`);
      expect(error.failure).toBe('timeout');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('never shows the credentials of a URL in its error', async () => {
    const port = await closedPort();
    const error = await failureOf(send(`http://alice:s3cret@127.0.0.1:${port}/x`));
    expect(error.message).toBe(`could not reach the server at http://***@127.0.0.1:${port}/x: connection refused`);
    expect(error.message).not.toContain('s3cret');
    expect(error.url).not.toContain('s3cret');
  });

  it('opens a new connection for each request when asked (each curl behind the balancer is one)', async () => {
    const server = createServer((req, res) => res.end(String(req.socket.remotePort)));
    const port = await listen(server);
    const pool = openConnections({ newConnectionEachRequest: true });
    const ports: string[] = [];
    try {
      for (let i = 0; i < 3; i += 1) ports.push((await send(`http://127.0.0.1:${port}/`, { dispatcher: pool })).text());
    } finally {
      await pool.close();
    }
    expect(new Set(ports).size).toBe(3);
  });
});

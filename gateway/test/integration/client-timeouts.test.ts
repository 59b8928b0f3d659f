// nginx's client_header_timeout and client_body_timeout: a client that drips its request head or
// body is answered 408 and cut off, and does not hold the gateway for anyone else. The timeouts are
// set short here (2 s head, 1 s body pause) so each case ends within a few seconds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const HEADER_TIMEOUT_MS = 2_000;
const BODY_TIMEOUT_MS = 1_000;
const SLOW_CLIENTS = 200;
/** A slow client still open this long after the header timeout counts as never cut off. */
const GRACE_MS = 8_000;

interface SlowClient {
  socket: Socket;
  /** Everything the gateway sent, once it closed the connection (null: still open at the bound). */
  ended: Promise<string | null>;
  closed: boolean;
}

/** Connects and sends `head`, then one more chunk from `drip` every `everyMs` until the gateway closes. */
function slowClient(port: number, head: string, drip: string, everyMs: number): SlowClient {
  const socket = connect(port, '127.0.0.1');
  const client: SlowClient = { socket, ended: Promise.resolve(null), closed: false };
  client.ended = new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let interval: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => {
      clearInterval(interval);
      socket.destroy();
      resolve(null);
    }, HEADER_TIMEOUT_MS + GRACE_MS);
    socket.on('connect', () => {
      socket.write(head);
      interval = setInterval(() => socket.write(drip), everyMs);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      client.closed = true;
      clearInterval(interval);
      clearTimeout(bound);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
  return client;
}

describe('client header and body timeouts', () => {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;
  let port: number;

  beforeAll(async () => {
    upstream = await startEmbeddedHttpbin();
    gateway = await startTestGateway(upstream.port, {
      KONG_NGINX_HTTP_CLIENT_HEADER_TIMEOUT: `${HEADER_TIMEOUT_MS}ms`,
      KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT: `${BODY_TIMEOUT_MS}ms`,
    });
    port = gateway.proxy.port;
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [{ name: 'echo', url: 'http://httpbin.kong.svc.cluster.local:8000/anything', routes: [{ name: 'echo', paths: ['/echo'] }] }],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it(`serves other clients while ${SLOW_CLIENTS} slowloris connections drip header bytes, and ends each slow one with 408`, async () => {
    const slow = Array.from({ length: SLOW_CLIENTS }, () =>
      slowClient(port, 'GET /echo HTTP/1.1\r\nHost: slow.example\r\n', 'X-Drip: 1\r\n', 300),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const openWhileServing = slow.filter((client) => !client.closed).length;
    const served: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await request(`http://127.0.0.1:${port}/echo/get`);
      await response.body.dump();
      served.push(response.statusCode);
      const status = await request(`http://127.0.0.1:${gateway.admin.port}/status`);
      await status.body.dump();
      served.push(status.statusCode);
    }
    expect(openWhileServing).toBe(SLOW_CLIENTS);
    expect(served).toEqual(Array(20).fill(200));

    const answers = await Promise.all(slow.map((client) => client.ended));
    const cutOff = answers.filter((answer) => answer !== null && answer.startsWith('HTTP/1.1 408 '));
    expect(cutOff.length).toBe(SLOW_CLIENTS);
  });

  it('answers 408 (Kong error body) and closes when a request body pauses longer than the body timeout', async () => {
    const client = slowClient(
      port,
      'POST /echo HTTP/1.1\r\nHost: slow.example\r\nAccept: */*\r\nContent-Type: text/plain\r\nContent-Length: 50\r\n\r\nabc',
      'd',
      BODY_TIMEOUT_MS * 3,
    );
    const answer = await client.ended;
    expect(answer).not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('"message":"Request timeout"');
  });

  it('cuts a connection whose body still drips after an early answer (no route), instead of holding it', async () => {
    const client = slowClient(
      port,
      'POST /no-such-route HTTP/1.1\r\nHost: slow.example\r\nAccept: */*\r\nContent-Length: 50\r\n\r\nabc',
      'd',
      BODY_TIMEOUT_MS * 3,
    );
    const answer = await client.ended;
    expect(answer).not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('lets a body through whose pauses are each shorter than the body timeout, as nginx measures between reads', async () => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /echo HTTP/1.1\r\nHost: ok.example\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\n');
    for (const byte of 'wxyz') {
      await new Promise((resolve) => setTimeout(resolve, BODY_TIMEOUT_MS / 3));
      socket.write(byte);
    }
    await new Promise((resolve) => socket.once('close', resolve));
    const answer = Buffer.concat(chunks).toString('latin1');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"data":"wxyz"');
  });
});

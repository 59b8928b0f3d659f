import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpWaitError, waitForHttp } from '../../src/http/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function serveOn(port: number, status: () => number): Promise<void> {
  const server = createServer((_req, res) => {
    res.statusCode = status();
    res.end('{}');
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

describe('waitForHttp()', () => {
  it('waits until a server that is not there yet comes up and answers 200', async () => {
    const port = await freePort();
    let asked = 0;
    // Up after a few refused attempts; then 503 twice before it is ready.
    const later = new Promise<void>((resolve) => setTimeout(() => void serveOn(port, () => (++asked <= 2 ? 503 : 200)).then(resolve), 300));
    const response = await waitForHttp(`http://127.0.0.1:${port}/status`, { timeoutMs: 10_000, intervalMs: 50 });
    await later;
    expect(response.status).toBe(200);
    expect(asked).toBe(3);
  });

  it('times out with what it waited for, where, how long, and the last problem', async () => {
    const port = await freePort();
    const attempt = waitForHttp(`http://127.0.0.1:${port}/status`, { target: "the gateway's Admin API", timeoutMs: 1_000, intervalMs: 50 });
    await expect(attempt).rejects.toBeInstanceOf(HttpWaitError);
    await expect(attempt).rejects.toThrow(`the gateway's Admin API did not answer at http://127.0.0.1:${port}/status within 1 s (last: connection refused)`);
  });

  it("reports the answer that was not ready as the last problem, and stops when told the server is gone", async () => {
    const port = await freePort();
    await serveOn(port, () => 503);
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 2_000, intervalMs: 50 })).rejects.toThrow(/\(last: HTTP 503\)$/);
    let gone = false;
    setTimeout(() => (gone = true), 100);
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 30_000, intervalMs: 20, gaveUp: () => (gone ? 'it exited' : undefined) }))
      .rejects.toThrow(`gave up waiting for the server at http://127.0.0.1:${port}/: it exited`);
  });
});

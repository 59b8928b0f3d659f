// The Service stand-in: one backend per new connection in turn; keep-alive requests stay on their node.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { Agent, Client, request } from 'undici';
import { startTcpBalancer, type TcpBalancer } from '../../src/env/tcp-balancer.js';

describe('startTcpBalancer', () => {
  const servers: Server[] = [];
  let balancer: TcpBalancer;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const server = createServer((_req, res) => res.end(`node-${i}`));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    balancer = await startTcpBalancer({ backends: servers.map((s) => ({ host: '127.0.0.1', port: (s.address() as { port: number }).port })) });
  });

  afterAll(async () => {
    await balancer?.close();
    for (const server of servers) server.close();
  });

  async function viaNewConnection(): Promise<string> {
    const response = await request(balancer.url, { reset: true });
    return response.body.text();
  }

  it('hands each new connection to the next backend in turn', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 9; i++) answers.push(await viaNewConnection());
    expect(answers).toEqual(['node-0', 'node-1', 'node-2', 'node-0', 'node-1', 'node-2', 'node-0', 'node-1', 'node-2']);
    expect(balancer.connectionsPerBackend()).toEqual([3, 3, 3]);
  });

  it('keeps every request of one keep-alive connection on the same backend', async () => {
    const client = new Client(balancer.url, { pipelining: 1 });
    try {
      const answers = new Set<string>();
      for (let i = 0; i < 5; i++) answers.add(await (await client.request({ path: '/', method: 'GET' })).body.text());
      expect(answers.size).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('resets the connection when the backend it chose is gone, and goes on with the others', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as { port: number }).port;
    await new Promise((resolve) => down.close(resolve));
    const up = servers[0].address() as { port: number };
    const mixed = await startTcpBalancer({ backends: [{ host: '127.0.0.1', port }, { host: '127.0.0.1', port: up.port }] });
    const agent = new Agent();
    try {
      await expect(request(mixed.url, { reset: true, dispatcher: agent })).rejects.toThrow(/socket|ECONNRESET|other side closed/i);
      expect(await (await request(mixed.url, { reset: true, dispatcher: agent })).body.text()).toBe('node-0');
    } finally {
      await agent.close();
      await mixed.close();
    }
  });

  it('setBackends: new connections go round the new set, one already open stays on its node', async () => {
    const open = new Client(balancer.url, { pipelining: 1 });
    try {
      const first = await (await open.request({ path: '/', method: 'GET' })).body.text();
      const port = (index: number) => (servers[index].address() as { port: number }).port;
      balancer.setBackends([{ host: '127.0.0.1', port: port(2) }, { host: '127.0.0.1', port: port(1) }]);
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) answers.push(await viaNewConnection());
      expect(answers).toEqual(['node-2', 'node-1', 'node-2', 'node-1']);
      expect(balancer.connectionsPerBackend()).toEqual([2, 2]);
      expect(await (await open.request({ path: '/', method: 'GET' })).body.text()).toBe(first);
      expect(() => balancer.setBackends([])).toThrow(/at least one backend/);
    } finally {
      await open.close();
      balancer.setBackends(servers.map((server) => ({ host: '127.0.0.1', port: (server.address() as { port: number }).port })));
    }
  });

  it('close() cuts open connections and stops listening', async () => {
    const client = new Client(balancer.url);
    await (await client.request({ path: '/', method: 'GET' })).body.text();
    await balancer.close();
    await expect(request(balancer.url, { reset: true })).rejects.toThrow(/ECONNREFUSED/);
    await client.destroy();
  });
});

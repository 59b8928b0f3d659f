// read_timeout and connect_timeout fire on time. undici's own timers tick every ~0.5 s, so a 300 ms
// timeout fired between 0.5 and 1 s: an upstream answering 400 ms after the timeout could still win.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const TIMEOUT_MS = 300;
/** The upstream answers this much after the timeout: a timer firing on time always wins. */
const LATE_BY_MS = 400;
const ROUNDS = 3;

/** A loopback port whose accept queue is full: a connect to it waits for the SYN to be retried. */
async function blackholePort(): Promise<{ port: number; stop: () => void }> {
  const listener: ChildProcess = spawn('/usr/bin/python3', [
    '-c',
    'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()',
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: listener.stdout! }).once('line', (line) => resolve(Number(line)));
    listener.once('error', reject);
  });
  // One connection fills the queue of a listen(0) socket that never accepts.
  const filler: Socket = connect(port, '127.0.0.1');
  filler.on('error', () => {});
  await new Promise((resolve) => filler.once('connect', resolve));
  return {
    port,
    stop: () => {
      filler.destroy();
      listener.kill('SIGKILL');
    },
  };
}

describe('upstream timeouts', () => {
  let upstream: Server;
  let gateway: RunningGateway;
  let blackhole: { port: number; stop: () => void };

  beforeAll(async () => {
    // Answers after ?ms= milliseconds.
    upstream = createServer((req, res) => {
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      setTimeout(() => res.end('late answer'), delay);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    blackhole = await blackholePort();
    gateway = await startTestGateway(port);
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [
        { name: 'slow', url: `http://127.0.0.1:${port}`, read_timeout: TIMEOUT_MS, retries: 0, routes: [{ name: 'slow', paths: ['/slow'] }] },
        {
          name: 'unreachable',
          url: `http://127.0.0.1:${blackhole.port}`,
          connect_timeout: TIMEOUT_MS,
          retries: 0,
          routes: [{ name: 'unreachable', paths: ['/unreachable'] }],
        },
      ],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    blackhole?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it(`answers 504 when the upstream answers ${LATE_BY_MS} ms after read_timeout (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const response = await request(`http://127.0.0.1:${gateway.proxy.port}/slow?ms=${TIMEOUT_MS + LATE_BY_MS}`);
      expect(await response.body.text()).toContain('The upstream server is timing out');
      expect(response.statusCode).toBe(504);
    }
  });

  it('lets an upstream answering well within read_timeout through', async () => {
    const response = await request(`http://127.0.0.1:${gateway.proxy.port}/slow?ms=50`);
    expect(await response.body.text()).toBe('late answer');
  });

  it(`answers 504 for a connect that cannot complete before a timer ${LATE_BY_MS} ms after connect_timeout fires (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), TIMEOUT_MS + LATE_BY_MS));
      const answered = request(`http://127.0.0.1:${gateway.proxy.port}/unreachable`).then(async (response) => {
        await response.body.dump();
        return response.statusCode;
      });
      expect(await Promise.race([answered, late])).toBe(504);
      await answered;
    }
  });
});

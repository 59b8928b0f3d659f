// What the bench starts besides the servers under test: the tcp-log sink in its own process and a
// real redis-server, each gone once the bench stops its children; and the reason in place of a
// Redis where redis-server is missing. No load is sent and nothing is timed here.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopAllChildren } from '../../src/bench/child-processes.js';
import { startBenchRedis, startTcpLogSinkProcess } from '../../src/bench/backing-services.js';
import type { ServerContext } from '../../src/bench/servers.js';
import { answersPing } from '../../src/redis/redis-server.js';
import { redisRequirement, redisServerAvailability } from '../../src/redis/index.js';
import { startTcpLogSink } from '../../src/sink/tcp-log-sink.js';
import { isAlive, processesMatching, refusesConnections } from '../env/processes.js';

const tempDir = mkdtempSync(join(tmpdir(), 'bench-backing-test-'));
const ctx: ServerContext = { pinning: { taskset: null, cpus: 2 }, tempDir, nginx: null, profileDir: null };
afterAll(async () => {
  await stopAllChildren();
  rmSync(tempDir, { recursive: true, force: true });
});

function sendLines(port: number, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(lines.map((line) => `${line}\n`).join('')));
    socket.once('error', reject);
    socket.once('close', () => resolve());
  });
}

describe('the tcp-log sink under load', () => {
  it('keeps only the last lines it is told to, and counts them all', async () => {
    const sink = await startTcpLogSink({ retain: 2 });
    try {
      await sendLines(sink.port, ['{"n":1}', '{"n":2}', '{"n":3}']);
      await expect.poll(() => sink.received()).toBe(3);
      expect(sink.lines().map((line) => line.json?.n)).toEqual([2, 3]);
    } finally {
      await sink.close();
    }
  });

  it('runs in a process of its own that reports every line it received when stopped', async () => {
    const sink = await startTcpLogSinkProcess(ctx);
    expect(sink.host).toBe('127.0.0.1');
    const lines = Array.from({ length: 1500 }, (_, n) => JSON.stringify({ request: { id: `r${n}` } }));
    await sendLines(sink.port, lines);
    // The read side answers for a line it still keeps: the check the bench makes before measuring.
    const response = await fetch(`${sink.readUrl}/lines/r1499?wait_ms=5000`);
    expect(response.status).toBe(200);
    expect(sink.linesReceived()).toBeNull();
    await sink.child.stop();
    expect(sink.linesReceived()).toBe(1500);
    expect(sink.connections()).toBe(1);
    expect(isAlive(sink.child.pid)).toBe(false);
  });
});

describe('the Redis of the policy redis configuration', () => {
  it('is unavailable with the reason where redis-server is missing, and nothing is started', async () => {
    const before = processesMatching('redis-server').length;
    const result = await startBenchRedis(ctx, { available: false, reason: '/usr/bin/redis-server not found (install: apt-get install -y redis-server)' });
    expect(result).toEqual({ unavailable: '/usr/bin/redis-server not found (install: apt-get install -y redis-server)' });
    expect(processesMatching('redis-server').length).toBeLessThanOrEqual(before);
  });

  const gate = redisRequirement(redisServerAvailability());
  it.skipIf(gate.skip)(`is a real redis-server on loopback, stopped with the bench's children${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, async () => {
    const result = await startBenchRedis(ctx);
    if (!('address' in result)) throw new Error(`expected a Redis, got ${result.unavailable}`);
    expect(result.address.host).toBe('127.0.0.1');
    expect(await answersPing(result.address.host, result.address.port, undefined, false)).toBe(true);
    await stopAllChildren();
    expect(processesMatching('redis-server', `127.0.0.1:${result.address.port}`)).toEqual([]);
    expect(await refusesConnections(result.address.port)).toBe(true);
  });
});

// tcp-log's transport on its own: lines coalesced over a short delay share a write and a connection,
// arrive whole and in order, what waits is bounded, and what still waits at close is dropped.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { FLUSH_DELAY_MS, TcpLogSender, type TcpLogTarget } from '../../src/plugins/tcp-log/sender.js';

const NO_OVERRIDES = { upstreamOverrides: new Map(), hostsFile: new Map() };

interface Sink {
  server: Server;
  port: number;
  text(): string;
  connections(): number;
}

async function startSink(): Promise<Sink> {
  let text = '';
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  return { server, port: (server.address() as { port: number }).port, text: () => text, connections: () => connections };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const one of opened.splice(0)) one.close();
});

describe('TcpLogSender', () => {
  it('sends the lines queued together, whole and in order, on one kept connection', async () => {
    const sink = await startSink();
    opened.push({ close: () => sink.server.close() });
    const sender = new TcpLogSender(NO_OVERRIDES, () => undefined);
    opened.push(sender);
    const target: TcpLogTarget = { host: '127.0.0.1', port: sink.port, timeout: 1000, keepalive: 60000 };
    const lines = Array.from({ length: 200 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines) sender.send(target, line);
    await until(() => sink.text().length === lines.join('').length);
    expect(sink.text()).toBe(lines.join(''));
    expect(sink.connections()).toBe(1);
    await until(() => sender.idleConnections() === 1);
    // The next turn's lines reuse the kept connection.
    sender.send(target, '{"n":"next"}\n');
    await until(() => sink.text().endsWith('{"n":"next"}\n'));
    expect(sink.connections()).toBe(1);
  });

  it('coalesces lines of several turns, and sends a large batch without waiting for the delay', async () => {
    const sink = await startSink();
    opened.push({ close: () => sink.server.close() });
    const sender = new TcpLogSender(NO_OVERRIDES, () => undefined);
    opened.push(sender);
    const target: TcpLogTarget = { host: '127.0.0.1', port: sink.port, timeout: 1000, keepalive: 60000 };
    // Three turns of the event loop, each with a line: one batch, one connection.
    for (const line of ['a\n', 'b\n', 'c\n']) {
      sender.send(target, line);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => sink.text() === 'a\nb\nc\n');
    expect(sink.connections()).toBe(1);
    // 100 lines of 1 KiB: the first 64 KiB go out at once, the rest after the delay; all of it, in order.
    const big = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}${'x'.repeat(1020)}\n`);
    for (const line of big) sender.send(target, line);
    await until(() => sink.text().length === 6 + big.join('').length);
    expect(sink.text()).toBe(`a\nb\nc\n${big.join('')}`);
  });

  it('drops the lines still waiting when it closes: nothing is sent afterwards', async () => {
    const sink = await startSink();
    opened.push({ close: () => sink.server.close() });
    const sender = new TcpLogSender(NO_OVERRIDES, () => undefined);
    const target: TcpLogTarget = { host: '127.0.0.1', port: sink.port, timeout: 1000, keepalive: 60000 };
    sender.send(target, 'waiting\n');
    sender.close();
    sender.send(target, 'after close\n');
    await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS * 5));
    expect(sink.connections()).toBe(0);
    expect(sink.text()).toBe('');
  });

  it('keeps two plugin configurations to the same sink apart, each line once', async () => {
    const sink = await startSink();
    opened.push({ close: () => sink.server.close() });
    const sender = new TcpLogSender(NO_OVERRIDES, () => undefined);
    opened.push(sender);
    const one: TcpLogTarget = { host: '127.0.0.1', port: sink.port, timeout: 1000, keepalive: 60000 };
    const other: TcpLogTarget = { ...one, timeout: 2000 };
    sender.send(one, 'a\n');
    sender.send(other, 'b\n');
    sender.send(one, 'c\n');
    await until(() => sink.text().length === 6);
    expect(sink.text().split('\n').filter(Boolean).sort()).toEqual(['a', 'b', 'c']);
    expect(sink.text()).toMatch(/a\nc\n/);
  });

  it('drops what exceeds the waiting bound, says so, and reports a sink that refuses', async () => {
    const refusing = await startSink();
    const deadPort = refusing.port;
    await new Promise((resolve) => refusing.server.close(resolve));
    const failures: string[] = [];
    const sender = new TcpLogSender(NO_OVERRIDES, (message) => failures.push(message));
    opened.push(sender);
    const target: TcpLogTarget = { host: '127.0.0.1', port: deadPort, timeout: 1000, keepalive: 60000 };
    for (let i = 0; i < 1003; i++) sender.send(target, `${i}\n`);
    expect(failures.filter((message) => message.startsWith('dropped a log message')).length).toBe(3);
    await until(() => failures.some((message) => message.includes('failed to send data to 127.0.0.1:')));
    // Once the failed write is over, nothing waits any more: new lines are taken again.
    await until(() => {
      failures.length = 0;
      sender.send(target, 'again\n');
      return !failures.some((message) => message.startsWith('dropped'));
    });
  });
});

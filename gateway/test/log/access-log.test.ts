import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accessLogLine, createAccessLog, type AccessLogEntry } from '../../src/access-log.js';

function entry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    event: 'access',
    time: '2026-11-27T23:41:32.007Z',
    request_id: 'af1ed8c3e3222d2d08d1540628d7e27f',
    client_ip: '127.0.0.1',
    method: 'GET',
    path: '/anything',
    status: 200,
    source: 'upstream',
    route: 'example-route',
    service: 'example-service',
    consumer: 'aragorn',
    upstream_status: 200,
    upstream_address: '127.0.0.1:8000',
    latencies: { kong: 1, proxy: 12, request: 13 },
    bytes_sent: 551,
    ...overrides,
  };
}

describe('access-log line', () => {
  it('is exactly what JSON.stringify writes for a proxied request', () => {
    expect(accessLogLine(entry())).toBe(JSON.stringify(entry()));
  });

  it('writes null for what a Kong-generated answer lacks', () => {
    const rejected = entry({ source: 'kong', status: 401, consumer: null, upstream_status: null, upstream_address: null, latencies: { kong: 0, proxy: null, request: 0 } });
    expect(accessLogLine(rejected)).toBe(JSON.stringify(rejected));
    const unrouted = entry({ status: 404, route: null, service: null, consumer: null, upstream_status: null, upstream_address: null });
    expect(accessLogLine(unrouted)).toBe(JSON.stringify(unrouted));
  });

  it('escapes what JSON must escape in every string field', () => {
    const awkward = entry({
      path: '/quote"back\\slash\u0001ctl\ttab\nnl',
      route: 'ünïcödé-route ☃',
      service: 'pair \ud83d\ude00 and lone \ud800 surrogate',
      consumer: 'del\u007fchar',
      method: 'M"',
    });
    const line = accessLogLine(awkward);
    expect(line).toBe(JSON.stringify(awkward));
    expect(JSON.parse(line)).toEqual(awkward);
  });
});

describe('access log', () => {
  it('writes one line per entry, batched once per event-loop turn', async () => {
    const writes: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { writes.push(String(chunk)); done(); } });
    const log = createAccessLog(true, sink);
    log.write(entry({ request_id: 'a'.repeat(32) }));
    log.write(entry({ request_id: 'b'.repeat(32) }));
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = writes[0].trimEnd().split('\n').map((line) => JSON.parse(line) as AccessLogEntry);
    expect(lines.map((line) => line.request_id)).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('writes what is pending on flush, and nothing when disabled', () => {
    const writes: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { writes.push(String(chunk)); done(); } });
    const log = createAccessLog(true, sink);
    log.write(entry());
    log.flush();
    expect(writes).toEqual([`${JSON.stringify(entry())}\n`]);
    const off = createAccessLog(false, sink);
    off.write(entry());
    off.flush();
    expect(writes).toHaveLength(1);
  });
});

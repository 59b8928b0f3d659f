import { describe, expect, it } from 'vitest';
import { parseWrkDuration, parseWrkOutput, WRK_DONE_SCRIPT, WRK_RESULT_MARKER, wrkArgs } from '../../src/bench/wrk.js';
import { LoadGeneratorError } from '../../src/bench/load-result.js';

const HUMAN_REPORT = `Running 5s test @ http://127.0.0.1:28080/json
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   612.34us  210.11us  12.50ms   91.20%
    Req/Sec    80.12k     3.01k   84.20k    88.00%
  Latency Distribution
     50%  580.00us
     75%  650.00us
     90%  720.00us
     99%    1.60ms
  401234 requests in 5.01s, 250.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  80086.62
Transfer/sec:     49.92MB
`;

describe('wrk output', () => {
  it('reads the exact figures our done() script prints', () => {
    const output = `${HUMAN_REPORT}${WRK_RESULT_MARKER}{"requests":401234,"duration_us":5010000,"errors":{"connect":0,"read":2,"write":0,"status":7,"timeout":3},"latency_us":{"p50":580.0,"p99":1600.0,"mean":612.3,"max":12500.0}}\n`;
    const result = parseWrkOutput(output);
    expect(result.tool).toBe('wrk');
    expect(result.requests).toBe(401234);
    expect(result.durationSeconds).toBeCloseTo(5.01, 6);
    expect(result.requestsPerSecond).toBeCloseTo(401234 / 5.01, 6);
    expect(result.latencyMs).toEqual({ p50: 0.58, p99: 1.6, mean: 0.6123, max: 12.5 });
    expect(result.errors).toEqual({ connect: 0, read: 2, write: 0, status: 7, timeout: 3 });
  });

  it("falls back to wrk's own report", () => {
    const result = parseWrkOutput(HUMAN_REPORT);
    expect(result.requests).toBe(401234);
    expect(result.requestsPerSecond).toBe(80086.62);
    expect(result.latencyMs.p50).toBeCloseTo(0.58, 10);
    expect(result.latencyMs.p99).toBeCloseTo(1.6, 10);
    expect(result.latencyMs.mean).toBeCloseTo(0.61234, 10);
    expect(result.latencyMs.max).toBeCloseTo(12.5, 10);
    expect(result.errors).toEqual({ connect: 0, read: 2, write: 0, timeout: 3, status: 7 });
  });

  it('converts every wrk time unit to milliseconds', () => {
    expect(parseWrkDuration('612.00us')).toBeCloseTo(0.612, 10);
    expect(parseWrkDuration('2.10ms')).toBeCloseTo(2.1, 10);
    expect(parseWrkDuration('1.02s')).toBeCloseTo(1020, 10);
    expect(parseWrkDuration('1.00m')).toBe(60_000);
    expect(parseWrkDuration('fast')).toBeNaN();
  });

  it('says what went wrong when wrk printed no result', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(LoadGeneratorError);
  });
});

describe('wrk command line and script', () => {
  it('runs one thread with the connections, duration, headers and our script', () => {
    const args = wrkArgs({ url: 'http://127.0.0.1:9/x', connections: 50, durationSeconds: 3, headers: { apikey: 'k' }, scriptPath: '/tmp/s.lua' });
    expect(args.slice(0, 3)).toEqual(['-t1', '-c50', '-d3s']);
    expect(args).toContain('--latency');
    expect(args[args.indexOf('-s') + 1]).toBe('/tmp/s.lua');
    expect(args[args.indexOf('-H') + 1]).toBe('apikey: k');
    expect(args.at(-1)).toBe('http://127.0.0.1:9/x');
  });

  it('defines only done(), so wrk keeps its static-request fast path', () => {
    expect(WRK_DONE_SCRIPT).toMatch(/^done = function\(summary, latency, requests\)/m);
    expect(WRK_DONE_SCRIPT).not.toMatch(/^(request|response|setup|init) = /m);
    expect(WRK_DONE_SCRIPT).toContain(WRK_RESULT_MARKER.trim());
  });
});

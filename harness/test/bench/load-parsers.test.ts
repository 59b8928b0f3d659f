import { describe, expect, it } from 'vitest';
import { autocannonArgs, parseAutocannonOutput } from '../../src/bench/autocannon.js';
import { pacedEnv, parsePacedOutput } from '../../src/bench/paced.js';
import { LoadGeneratorError } from '../../src/bench/load-result.js';

describe('autocannon', () => {
  it('reads the JSON result line', () => {
    const line = JSON.stringify({
      duration: 2.01,
      errors: 5,
      timeouts: 2,
      non2xx: 4,
      requests: { total: 20_100, average: 10_000 },
      latency: { p50: 4, p99: 11, mean: 4.6, max: 40 },
    });
    const result = parseAutocannonOutput(`Running 2s test\n${line}\n`);
    expect(result.tool).toBe('autocannon');
    expect(result.requestsPerSecond).toBeCloseTo(10_000, 6);
    expect(result.latencyMs).toEqual({ p50: 4, p99: 11, mean: 4.6, max: 40 });
    expect(result.errors).toEqual({ connect: 0, read: 3, write: 0, timeout: 2, status: 4 });
  });

  it('passes headers as K=V', () => {
    const args = autocannonArgs({ url: 'http://127.0.0.1:9/', connections: 50, durationSeconds: 2, headers: { apikey: 'k' } });
    expect(args[args.indexOf('-H') + 1]).toBe('apikey=k');
    expect(args).toContain('-j');
  });

  it('refuses output without a result', () => {
    expect(() => parseAutocannonOutput('Error: connect ECONNREFUSED')).toThrow(LoadGeneratorError);
  });
});

describe('paced client', () => {
  it('reads its JSON line, in milliseconds', () => {
    const line = JSON.stringify({
      requests: 10_000,
      duration_us: 5_000_000,
      errors: 1,
      status_errors: 2,
      latency_us: { p50: 310, p99: 1200, mean: 350, max: 4000 },
      lag_us: { p99: 900, max: 2000 },
    });
    const result = parsePacedOutput(`${line}\n`);
    expect(result.requestsPerSecond).toBe(2000);
    expect(result.latencyMs).toEqual({ p50: 0.31, p99: 1.2, mean: 0.35, max: 4 });
    expect(result.errors.read).toBe(1);
    expect(result.errors.status).toBe(2);
    expect(result.clientLagMsP99).toBe(0.9);
  });

  it('hands its settings over in the environment', () => {
    expect(pacedEnv({ url: 'http://127.0.0.1:9/', rate: 2000, durationSeconds: 5, warmupSeconds: 1, connections: 32, headers: { apikey: 'k' } })).toEqual({
      BENCH_URL: 'http://127.0.0.1:9/',
      BENCH_RATE: '2000',
      BENCH_DURATION: '5',
      BENCH_WARMUP: '1',
      BENCH_CONNECTIONS: '32',
      BENCH_HEADERS: '{"apikey":"k"}',
    });
  });
});

// Latency at a fixed request rate, measured by processes/paced-client.ts.

import { LoadGeneratorError, type LoadResult } from './load-result.js';

interface PacedJson {
  requests: number;
  duration_us: number;
  errors: number;
  status_errors: number;
  latency_us: { p50: number | null; p99: number | null; mean: number; max: number | null };
  lag_us?: { p99: number | null; max: number | null };
}

export interface PacedRun {
  url: string;
  rate: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  headers: Record<string, string>;
}

export function pacedEnv(run: PacedRun): Record<string, string> {
  return {
    BENCH_URL: run.url,
    BENCH_RATE: String(run.rate),
    BENCH_DURATION: String(run.durationSeconds),
    BENCH_WARMUP: String(run.warmupSeconds),
    BENCH_CONNECTIONS: String(run.connections),
    BENCH_HEADERS: JSON.stringify(run.headers),
  };
}

const ms = (us: number | null) => (us === null ? Number.NaN : us / 1000);

export function parsePacedOutput(output: string): LoadResult {
  const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
  if (line === undefined) throw new LoadGeneratorError(`the paced client printed no result (${JSON.stringify(output.slice(0, 300))})`);
  const data = JSON.parse(line) as PacedJson;
  const durationSeconds = data.duration_us / 1e6;
  return {
    tool: 'paced',
    requests: data.requests,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? data.requests / durationSeconds : 0,
    latencyMs: { p50: ms(data.latency_us.p50), p99: ms(data.latency_us.p99), mean: ms(data.latency_us.mean), max: ms(data.latency_us.max) },
    errors: { connect: 0, read: data.errors, write: 0, timeout: 0, status: data.status_errors },
    clientLagMsP99: ms(data.lag_us?.p99 ?? null),
  };
}

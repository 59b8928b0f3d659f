// autocannon (npm devDependency), the fallback load generator where Debian's wrk is missing. It is
// a Node process itself, so it tops out lower than wrk and reports latencies in whole milliseconds.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LoadGeneratorError, type LoadResult } from './load-result.js';

/** Path of autocannon's CLI script, or null when the package is not installed. */
export function autocannonCli(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  } catch {
    return null;
  }
}

export interface AutocannonRun {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
}

export function autocannonArgs(run: AutocannonRun): string[] {
  const args = ['-c', String(run.connections), '-d', String(run.durationSeconds), '-j', '--timeout', '5'];
  for (const [name, value] of Object.entries(run.headers)) args.push('-H', `${name}=${value}`);
  args.push(run.url);
  return args;
}

interface AutocannonJson {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
  latency: { p50: number; p99: number; mean: number; max: number };
}

export function parseAutocannonOutput(output: string): LoadResult {
  const line = output
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{') && candidate.includes('"latency"'));
  if (line === undefined) throw new LoadGeneratorError(`autocannon printed no JSON result (${JSON.stringify(output.slice(0, 300))})`);
  const data = JSON.parse(line) as AutocannonJson;
  return {
    tool: 'autocannon',
    requests: data.requests.total,
    durationSeconds: data.duration,
    requestsPerSecond: data.duration > 0 ? data.requests.total / data.duration : 0,
    latencyMs: { p50: data.latency.p50, p99: data.latency.p99, mean: data.latency.mean, max: data.latency.max },
    errors: { connect: 0, read: data.errors - data.timeouts, write: 0, timeout: data.timeouts, status: data.non2xx },
  };
}

// wrk (Debian's 4.x): arguments, the Lua script that makes it print exact figures, and the parser.
// The script only defines done(), so wrk keeps its static-request fast path (no Lua per request).

import { LoadGeneratorError, type LoadResult } from './load-result.js';

export const WRK_RESULT_MARKER = 'BENCH_RESULT ';

export const WRK_DONE_SCRIPT = `-- Written by the lab kit's bench: prints exact figures as one JSON line.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '${WRK_RESULT_MARKER}{"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%.1f,"p99":%.1f,"mean":%.1f,"max":%.1f}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
`;

export interface WrkRun {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  scriptPath: string;
  /** wrk's own per-request timeout. */
  timeoutSeconds?: number;
}

export function wrkArgs(run: WrkRun): string[] {
  const args = [
    '-t1',
    `-c${run.connections}`,
    `-d${run.durationSeconds}s`,
    `--timeout`,
    `${run.timeoutSeconds ?? 5}s`,
    '--latency',
    '-s',
    run.scriptPath,
  ];
  for (const [name, value] of Object.entries(run.headers)) args.push('-H', `${name}: ${value}`);
  args.push(run.url);
  return args;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latency_us: { p50: number; p99: number; mean: number; max: number };
}

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "612.00us", "2.10ms", "1.02s" → milliseconds. */
export function parseWrkDuration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * TIME_UNITS_MS[match[2]];
}

function fromJson(line: string): LoadResult {
  const data = JSON.parse(line) as WrkJson;
  const durationSeconds = data.duration_us / 1e6;
  return {
    tool: 'wrk',
    requests: data.requests,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? data.requests / durationSeconds : 0,
    latencyMs: {
      p50: data.latency_us.p50 / 1000,
      p99: data.latency_us.p99 / 1000,
      mean: data.latency_us.mean / 1000,
      max: data.latency_us.max / 1000,
    },
    errors: { ...data.errors },
  };
}

/** wrk's human-readable report (with --latency), for a run without our done() script. */
function fromText(output: string): LoadResult | null {
  const requests = /(\d+) requests in ([\d.]+\w+)/.exec(output);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!requests || !rate) return null;
  const latencyLine = /^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(output);
  const distribution = (p: number) => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(output);
    return match ? parseWrkDuration(match[1]) : Number.NaN;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const durationSeconds = parseWrkDuration(requests[2]) / 1000;
  return {
    tool: 'wrk',
    requests: Number(requests[1]),
    durationSeconds,
    requestsPerSecond: Number(rate[1]),
    latencyMs: {
      p50: distribution(50),
      p99: distribution(99),
      mean: latencyLine ? parseWrkDuration(latencyLine[1]) : Number.NaN,
      max: latencyLine ? parseWrkDuration(latencyLine[3]) : Number.NaN,
    },
    errors: {
      connect: socketErrors ? Number(socketErrors[1]) : 0,
      read: socketErrors ? Number(socketErrors[2]) : 0,
      write: socketErrors ? Number(socketErrors[3]) : 0,
      timeout: socketErrors ? Number(socketErrors[4]) : 0,
      status: non2xx ? Number(non2xx[1]) : 0,
    },
  };
}

/** The figures from wrk's stdout: our done() line when present, else wrk's own report. */
export function parseWrkOutput(output: string): LoadResult {
  const line = output.split('\n').find((candidate) => candidate.startsWith(WRK_RESULT_MARKER));
  if (line !== undefined) return fromJson(line.slice(WRK_RESULT_MARKER.length));
  const parsed = fromText(output);
  if (parsed === null) {
    throw new LoadGeneratorError(`wrk printed no result (first lines: ${JSON.stringify(output.slice(0, 300))}); run it by hand to see why`);
  }
  return parsed;
}

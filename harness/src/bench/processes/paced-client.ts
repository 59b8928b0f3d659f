// A small open-loop client for latency at a fixed rate (wrk2 is not in Debian; autocannon's
// latencies are whole milliseconds). Requests are due at t0 + i/rate and handed to the pool then,
// whether or not earlier ones have come back; a server stall therefore queues requests in the pool
// and shows in their latency, nothing is hidden. Latency runs from the hand-over to the end of the
// body; how late the client itself was (a starved CPU) is reported apart as lag. Prints one JSON line.
// Env: BENCH_URL, BENCH_RATE, BENCH_DURATION (s), BENCH_WARMUP (s, not recorded), BENCH_CONNECTIONS, BENCH_HEADERS (JSON object).

import { Pool } from 'undici';

const url = new URL(process.env.BENCH_URL ?? '');
const rate = Number(process.env.BENCH_RATE ?? '2000');
const durationMs = Number(process.env.BENCH_DURATION ?? '5') * 1000;
const warmupMs = Number(process.env.BENCH_WARMUP ?? '1') * 1000;
const headers = JSON.parse(process.env.BENCH_HEADERS ?? '{}') as Record<string, string>;
const path = `${url.pathname}${url.search}`;
const pool = new Pool(url.origin, {
  connections: Number(process.env.BENCH_CONNECTIONS ?? '16'),
  pipelining: 1,
  headersTimeout: 5_000,
  bodyTimeout: 5_000,
});

const latenciesUs: number[] = [];
const lagsUs: number[] = [];
let errors = 0;
let statusErrors = 0;
let sent = 0;
let inFlight = 0;
const t0 = performance.now();
const recordFrom = t0 + warmupMs;
const endAt = recordFrom + durationMs;

function fire(dueAt: number): void {
  inFlight += 1;
  const firedAt = performance.now();
  if (dueAt >= recordFrom) lagsUs.push((firedAt - dueAt) * 1000);
  pool.request({ method: 'GET', path, headers }).then(
    async ({ statusCode, body }) => {
      await body.dump();
      if (dueAt >= recordFrom) {
        latenciesUs.push((performance.now() - firedAt) * 1000);
        if (statusCode >= 400) statusErrors += 1;
      }
    },
    () => {
      if (dueAt >= recordFrom) errors += 1;
    },
  ).finally(() => {
    inFlight -= 1;
  });
}

function tick(): void {
  const now = performance.now();
  const dueCount = Math.floor(((Math.min(now, endAt) - t0) / 1000) * rate);
  while (sent < dueCount) {
    fire(t0 + (sent * 1000) / rate);
    sent += 1;
  }
  if (now < endAt) setTimeout(tick, 1);
  else void finish();
}

async function finish(): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  latenciesUs.sort((a, b) => a - b);
  lagsUs.sort((a, b) => a - b);
  const pick = (sorted: number[], p: number) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
  const at = (p: number) => pick(latenciesUs, p);
  const mean = latenciesUs.reduce((sum, value) => sum + value, 0) / Math.max(1, latenciesUs.length);
  process.stdout.write(
    `${JSON.stringify({
      requests: latenciesUs.length,
      duration_us: durationMs * 1000,
      errors: errors + inFlight,
      status_errors: statusErrors,
      latency_us: { p50: at(50), p99: at(99), mean, max: latenciesUs.at(-1) ?? null },
      lag_us: { p99: pick(lagsUs, 99), max: lagsUs.at(-1) ?? null },
    })}\n`,
  );
  await pool.destroy();
  process.exit(0);
}

tick();

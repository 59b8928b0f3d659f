// Turns the measured runs into figures: medians and ranges per configuration, ratios paired round
// by round, the latency the gateway adds at a fixed rate, and the targets; as text and as JSON.

import { CONFIGURATION_IDS, CONFIGURATION_LABELS, type ConfigurationId, type SideBySidePair } from './configurations.js';
import type { LabsTiming } from './labs-timing.js';
import { formatStartupTiming, startupTimingJson, type StartupTiming } from './startup-timing.js';
import { totalErrors, type LoadResult } from './load-result.js';
import type { MachineInfo } from './machine.js';
import { formatProfileSummary, type ProfileSummary } from './profile-summary.js';
import { roundDifferences, roundRatios, spread, type Spread } from './stats.js';

/** One entry per round; null where that round's run failed. */
export type Runs = Partial<Record<ConfigurationId, (LoadResult | null)[]>>;

export interface BenchSetup {
  loadTool: string;
  upstream: string;
  /** How processes were placed on CPUs, in words. */
  placement: string;
  connections: number;
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  accessLog: string;
  command: string;
}

/** One pair measured side by side; null where that round failed. */
export interface SideBySideRuns extends SideBySidePair {
  rounds: ({ numerator: LoadResult; denominator: LoadResult } | null)[];
}

export interface BenchResults {
  machine: MachineInfo;
  setup: BenchSetup;
  throughput: Runs;
  /** Absent in results of runs that did not measure pairs side by side. */
  sideBySide?: SideBySideRuns[];
  fixedRate: { rate: number; durationSeconds: number; runs: Runs } | null;
  labs: LabsTiming | null;
  /** Absent in results of runs made before commands were timed. */
  startup?: StartupTiming | null;
  profiles: { name: string; summary: ProfileSummary }[];
  notes: string[];
}

export interface ConfigurationFigures {
  label: string;
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  /** CPU the server under test used per request, µs (NaN where /proc was not readable). */
  cpuUsPerRequest: Spread;
  /** Cores the server kept busy; well under 1 at saturation means something else had its core. */
  serverCores: Spread;
  requests: number;
  errors: number;
  roundsMeasured: number;
}

export interface RatioFigures extends Spread {
  rounds: number;
}

export interface SideBySideFigures extends SideBySidePair {
  /** numerator req/s ÷ denominator req/s, per round. */
  requests: RatioFigures | null;
  /** denominator CPU µs per request ÷ numerator's, per round (higher = numerator cheaper). */
  cpu: RatioFigures | null;
}

export interface Target {
  name: string;
  value: number | null;
  /** Which measurement the value comes from. */
  source?: 'side by side, CPU per request' | 'alternated rounds, req/s';
  target: string;
  met: boolean | null;
}

export interface BenchFigures {
  configurations: Partial<Record<ConfigurationId, ConfigurationFigures>>;
  ratios: Record<string, RatioFigures | null>;
  /** The same comparisons from the servers' CPU per request (inverse ratio), steadier when neighbours are noisy. */
  cpuRatios: Record<string, RatioFigures | null>;
  fixedRate: {
    rate: number;
    configurations: Partial<Record<ConfigurationId, ConfigurationFigures>>;
    addedP50Ms: RatioFigures | null;
    addedP99Ms: RatioFigures | null;
  } | null;
  sideBySide: SideBySideFigures[];
  targets: Target[];
}

const series = (runs: (LoadResult | null)[] | undefined, pick: (run: LoadResult) => number): number[] =>
  (runs ?? []).map((run) => (run === null ? Number.NaN : pick(run)));

function configurationFigures(runs: Runs): Partial<Record<ConfigurationId, ConfigurationFigures>> {
  const out: Partial<Record<ConfigurationId, ConfigurationFigures>> = {};
  for (const id of CONFIGURATION_IDS) {
    const list = runs[id];
    if (list === undefined) continue;
    const measured = list.filter((run): run is LoadResult => run !== null);
    out[id] = {
      label: CONFIGURATION_LABELS[id],
      requestsPerSecond: spread(series(list, (run) => run.requestsPerSecond)),
      p50Ms: spread(series(list, (run) => run.latencyMs.p50)),
      p99Ms: spread(series(list, (run) => run.latencyMs.p99)),
      cpuUsPerRequest: spread(series(list, (run) => run.serverCpuUsPerRequest ?? Number.NaN)),
      serverCores: spread(series(list, (run) => run.serverCores ?? Number.NaN)),
      requests: measured.reduce((sum, run) => sum + run.requests, 0),
      errors: measured.reduce((sum, run) => sum + totalErrors(run.errors), 0),
      roundsMeasured: measured.length,
    };
  }
  return out;
}

function ratio(runs: Runs, numerator: ConfigurationId, denominator: ConfigurationId): RatioFigures | null {
  if (runs[numerator] === undefined || runs[denominator] === undefined) return null;
  const figures = roundRatios(series(runs[numerator], (r) => r.requestsPerSecond), series(runs[denominator], (r) => r.requestsPerSecond));
  return figures.rounds === 0 ? null : figures;
}

/** The same direction as a throughput ratio (higher = numerator cheaper), from CPU per request. */
function cpuRatio(runs: Runs, numerator: ConfigurationId, denominator: ConfigurationId): RatioFigures | null {
  if (runs[numerator] === undefined || runs[denominator] === undefined) return null;
  const cpu = (run: LoadResult) => run.serverCpuUsPerRequest ?? Number.NaN;
  const figures = roundRatios(series(runs[denominator], cpu), series(runs[numerator], cpu));
  return figures.rounds === 0 ? null : figures;
}

function added(runs: Runs, pick: (run: LoadResult) => number): RatioFigures | null {
  if (runs['gateway-key-auth-rate-limiting'] === undefined || runs.upstream === undefined) return null;
  const figures = roundDifferences(series(runs['gateway-key-auth-rate-limiting'], pick), series(runs.upstream, pick));
  return figures.rounds === 0 ? null : figures;
}

function sideBySideFigures(pairs: readonly SideBySideRuns[]): SideBySideFigures[] {
  return pairs.map((pair) => {
    const numerator = pair.rounds.map((round) => round?.numerator ?? null);
    const denominator = pair.rounds.map((round) => round?.denominator ?? null);
    const cpu = (run: LoadResult) => run.serverCpuUsPerRequest ?? Number.NaN;
    const requests = roundRatios(series(numerator, (r) => r.requestsPerSecond), series(denominator, (r) => r.requestsPerSecond));
    const cpuFigures = roundRatios(series(denominator, cpu), series(numerator, cpu));
    const { name, numerator: n, denominator: d } = pair;
    return { name, numerator: n, denominator: d, requests: requests.rounds === 0 ? null : requests, cpu: cpuFigures.rounds === 0 ? null : cpuFigures };
  });
}

/**
 * The side-by-side CPU-per-request ratio where that pair was measured (the steadiest figure, and fair to
 * nginx, whose req/s side by side is capped by the shared load core), else the alternated rounds' req/s ratio.
 */
function preferSideBySide(sideBySide: readonly SideBySideFigures[], name: string, alternated: RatioFigures | null): { figures: RatioFigures | null; source: Target['source'] } {
  const pair = sideBySide.find((p) => p.name === name);
  if (pair?.cpu) return { figures: pair.cpu, source: 'side by side, CPU per request' };
  return { figures: alternated, source: 'alternated rounds, req/s' };
}

function atLeast(name: string, measured: RatioFigures | null | { figures: RatioFigures | null; source: Target['source'] }, bound: number): Target {
  const { figures, source } = measured !== null && 'source' in measured ? measured : { figures: measured, source: undefined };
  const value = figures?.median ?? null;
  return { name, value, target: `≥ ${bound}`, met: value === null ? null : value >= bound, ...(source ? { source } : {}) };
}

function atMost(name: string, figures: RatioFigures | null, bound: number, unit: string): Target {
  const value = figures?.median ?? null;
  return { name, value, target: `≤ ${bound}${unit}`, met: value === null ? null : value <= bound };
}

export function computeFigures(results: BenchResults): BenchFigures {
  const runs = results.throughput;
  const gateway = 'gateway-key-auth-rate-limiting' as const;
  const ratios: Record<string, RatioFigures | null> = {
    gateway_vs_nginx: ratio(runs, gateway, 'nginx'),
    gateway_vs_minimal: ratio(runs, gateway, 'minimal'),
    plugins_vs_none: ratio(runs, gateway, 'gateway-none'),
    key_auth_vs_none: ratio(runs, 'gateway-key-auth', 'gateway-none'),
    gateway_none_vs_minimal: ratio(runs, 'gateway-none', 'minimal'),
    minimal_vs_nginx: ratio(runs, 'minimal', 'nginx'),
    nginx_vs_upstream: ratio(runs, 'nginx', 'upstream'),
  };
  const cpuRatios: Record<string, RatioFigures | null> = {
    gateway_vs_nginx: cpuRatio(runs, gateway, 'nginx'),
    gateway_vs_minimal: cpuRatio(runs, gateway, 'minimal'),
    plugins_vs_none: cpuRatio(runs, gateway, 'gateway-none'),
    key_auth_vs_none: cpuRatio(runs, 'gateway-key-auth', 'gateway-none'),
    gateway_none_vs_minimal: cpuRatio(runs, 'gateway-none', 'minimal'),
    minimal_vs_nginx: cpuRatio(runs, 'minimal', 'nginx'),
  };
  let fixedRate: BenchFigures['fixedRate'] = null;
  if (results.fixedRate !== null) {
    const fixed = results.fixedRate.runs;
    fixedRate = {
      rate: results.fixedRate.rate,
      configurations: configurationFigures(fixed),
      addedP50Ms: added(fixed, (run) => run.latencyMs.p50),
      addedP99Ms: added(fixed, (run) => run.latencyMs.p99),
    };
  }
  const sideBySide = sideBySideFigures(results.sideBySide ?? []);
  const targets: Target[] = [
    atLeast('key-auth + rate-limiting vs minimal Node proxy', preferSideBySide(sideBySide, 'gateway_vs_minimal', ratios.gateway_vs_minimal), 0.95),
    atLeast('key-auth + rate-limiting vs nginx', preferSideBySide(sideBySide, 'gateway_vs_nginx', ratios.gateway_vs_nginx), 0.28),
    atLeast('key-auth + rate-limiting vs no plugins (plugins cost ≤ 5 %)', preferSideBySide(sideBySide, 'plugins_vs_none', ratios.plugins_vs_none), 0.95),
  ];
  if (fixedRate !== null) targets.push(atMost(`p99 added at ${fixedRate.rate} req/s (ms)`, fixedRate.addedP99Ms, 1, ' ms'));
  return { configurations: configurationFigures(runs), ratios, cpuRatios, fixedRate, sideBySide, targets };
}

// ---- text ----

const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (value: number) => fixed(value, value < 10 ? 2 : 1);

function ratioText(figures: RatioFigures | null): string {
  if (figures === null) return 'n/a';
  return `${fixed(figures.median, 2)}  [${fixed(figures.min, 2)}–${fixed(figures.max, 2)}, ${figures.rounds} rounds]`;
}

function signedMs(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}` : 'n/a';
}

function table(configurations: Partial<Record<ConfigurationId, ConfigurationFigures>>, withRate: boolean): string[] {
  const lines = [
    `  ${'configuration'.padEnd(36)}${(withRate ? 'req/s median [range]' : 'req/s').padEnd(26)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(12)}${'cores'.padStart(7)}${'errors'.padStart(8)}`,
  ];
  for (const id of CONFIGURATION_IDS) {
    const figures = configurations[id];
    if (!figures) continue;
    const rps = withRate
      ? `${int(figures.requestsPerSecond.median)} [${int(figures.requestsPerSecond.min)}–${int(figures.requestsPerSecond.max)}]`
      : int(figures.requestsPerSecond.median);
    lines.push(
      `  ${figures.label.padEnd(36)}${rps.padEnd(26)}${ms(figures.p50Ms.median).padStart(8)}${ms(figures.p99Ms.median).padStart(9)}` +
        `${fixed(figures.cpuUsPerRequest.median, 1).padStart(12)}${fixed(figures.serverCores.median, 2).padStart(7)}${String(figures.errors).padStart(8)}`,
    );
  }
  return lines;
}

export function formatLabsTiming(labs: LabsTiming | null): string {
  if (labs === null) return 'labs timing: skipped (--no-labs)';
  if (!labs.available) return `labs timing: unavailable (${labs.reason})`;
  const verdict = labs.withoutWaitsSeconds < 5 ? 'target < 5 s: met' : 'target < 5 s: NOT met';
  return (
    `labs timing: npm run labs took ${labs.wallSeconds.toFixed(1)} s wall, of which ${labs.windowWaitSeconds.toFixed(1)} s waiting for rate-limit windows; ` +
    `${labs.withoutWaitsSeconds.toFixed(1)} s without those waits (${verdict})` +
    (labs.note ? `\n  note: ${labs.note}` : '')
  );
}

export function formatReport(results: BenchResults, figures: BenchFigures = computeFigures(results)): string {
  const { machine, setup } = results;
  const lines: string[] = [];
  lines.push(`Bench of ${machine.date.slice(0, 10)} on ${machine.nproc} × ${machine.cpuModel} (nproc ${machine.nproc}), Node ${machine.node}`);
  lines.push(`  load: ${setup.loadTool}, ${setup.connections} connections; upstream: ${setup.upstream}`);
  lines.push(`  placement: ${setup.placement}`);
  lines.push(`  gateway access log: ${setup.accessLog}`);
  lines.push(`  ${setup.rounds} rounds × ${setup.durationSeconds} s per configuration (after ${setup.warmupSeconds} s warm-up each), order alternated A B … B A`);
  lines.push(`  reproduce: ${setup.command}`);
  lines.push('');
  lines.push('Throughput (saturating load):');
  lines.push(...table(figures.configurations, true));
  lines.push('');
  lines.push('Ratios of req/s, paired round by round (median [min–max]):');
  const r = figures.ratios;
  lines.push(`  gateway (key-auth + rate-limiting) / nginx          ${ratioText(r.gateway_vs_nginx)}`);
  lines.push(`  gateway (key-auth + rate-limiting) / minimal proxy  ${ratioText(r.gateway_vs_minimal)}`);
  lines.push(`  key-auth + rate-limiting / no plugins               ${ratioText(r.plugins_vs_none)}`);
  lines.push(`  key-auth / no plugins                               ${ratioText(r.key_auth_vs_none)}`);
  lines.push(`  gateway, no plugins / minimal proxy                 ${ratioText(r.gateway_none_vs_minimal)}`);
  lines.push(`  minimal proxy / nginx                               ${ratioText(r.minimal_vs_nginx)}`);
  lines.push(`  nginx / upstream direct                             ${ratioText(r.nginx_vs_upstream)}`);
  lines.push('');
  lines.push('The same from CPU per request (server CPU of the denominator / of the numerator; steadier on a shared machine):');
  const c = figures.cpuRatios;
  lines.push(`  gateway (key-auth + rate-limiting) vs nginx         ${ratioText(c.gateway_vs_nginx)}`);
  lines.push(`  gateway (key-auth + rate-limiting) vs minimal proxy ${ratioText(c.gateway_vs_minimal)}`);
  lines.push(`  key-auth + rate-limiting vs no plugins              ${ratioText(c.plugins_vs_none)}`);
  lines.push(`  key-auth vs no plugins                              ${ratioText(c.key_auth_vs_none)}`);
  lines.push(`  gateway, no plugins vs minimal proxy                ${ratioText(c.gateway_none_vs_minimal)}`);
  lines.push(`  minimal proxy vs nginx                              ${ratioText(c.minimal_vs_nginx)}`);
  if (figures.sideBySide.length > 0) {
    lines.push('');
    lines.push('Side by side (both servers on the server core at once, each under half the connections; per round, median [min–max]):');
    lines.push(`  ${'pair'.padEnd(66)}${'req/s ratio'.padEnd(30)}CPU/request ratio`);
    for (const pair of figures.sideBySide) {
      const name = `${CONFIGURATION_LABELS[pair.numerator]} / ${CONFIGURATION_LABELS[pair.denominator]}`;
      lines.push(`  ${name.padEnd(66)}${ratioText(pair.requests).padEnd(30)}${ratioText(pair.cpu)}`);
    }
  }
  if (figures.fixedRate !== null && results.fixedRate !== null) {
    lines.push('');
    lines.push(`Latency at a fixed ${figures.fixedRate.rate.toLocaleString('en-US')} req/s (open loop, ${results.fixedRate.durationSeconds} s per run, medians over rounds):`);
    lines.push(...table(figures.fixedRate.configurations, false));
    const p50 = figures.fixedRate.addedP50Ms;
    const p99 = figures.fixedRate.addedP99Ms;
    lines.push(
      `  added by the gateway (key-auth + rate-limiting) over direct: p50 ${signedMs(p50?.median ?? Number.NaN)} ms, p99 ${signedMs(p99?.median ?? Number.NaN)} ms` +
        (p99 ? ` (p99 range ${signedMs(p99.min)}…${signedMs(p99.max)})` : ''),
    );
  }
  lines.push('');
  lines.push('Targets (benchmark figures, not test assertions):');
  for (const target of figures.targets) {
    const verdict = target.met === null ? 'not measured' : target.met ? 'met' : 'NOT met';
    const source = target.source ? `, ${target.source}` : '';
    lines.push(`  ${target.name}: ${target.value === null ? 'n/a' : fixed(target.value, 3)} (target ${target.target}${source}) — ${verdict}`);
  }
  lines.push('');
  lines.push(formatLabsTiming(results.labs));
  lines.push(formatStartupTiming(results.startup));
  for (const profile of results.profiles) {
    lines.push('');
    lines.push(formatProfileSummary(`CPU profile, ${profile.name}`, profile.summary));
  }
  if (results.notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    for (const note of results.notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}

// ---- JSON ----

const finite = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(4)) : null);
const spreadJson = (s: Spread) => ({ median: finite(s.median), min: finite(s.min), max: finite(s.max) });

function configurationsJson(configurations: Partial<Record<ConfigurationId, ConfigurationFigures>>, runs: Runs) {
  const out: Record<string, unknown> = {};
  for (const id of CONFIGURATION_IDS) {
    const figures = configurations[id];
    if (!figures) continue;
    out[id] = {
      label: figures.label,
      requests_per_second: spreadJson(figures.requestsPerSecond),
      p50_ms: spreadJson(figures.p50Ms),
      p99_ms: spreadJson(figures.p99Ms),
      cpu_us_per_request: spreadJson(figures.cpuUsPerRequest),
      server_cores: spreadJson(figures.serverCores),
      requests: figures.requests,
      errors: figures.errors,
      rounds: (runs[id] ?? []).map((run) =>
        run === null
          ? null
          : {
              requests_per_second: finite(run.requestsPerSecond),
              p50_ms: finite(run.latencyMs.p50),
              p99_ms: finite(run.latencyMs.p99),
              cpu_us_per_request: finite(run.serverCpuUsPerRequest ?? Number.NaN),
              server_cores: finite(run.serverCores ?? Number.NaN),
            },
      ),
    };
  }
  return out;
}

/** The JSON `--json FILE` writes: `ratios.*` are medians (null when not measured), `ratio_ranges.*` the spreads. */
export function resultsToJson(results: BenchResults, figures: BenchFigures = computeFigures(results)): Record<string, unknown> {
  const ratios: Record<string, number | null> = {};
  const ranges: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(figures.ratios)) {
    ratios[name] = value === null ? null : finite(value.median);
    ranges[name] = value === null ? null : { ...spreadJson(value), rounds: value.rounds };
  }
  return {
    schema: 'labkit-bench/1',
    date: results.machine.date,
    machine: {
      nproc: results.machine.nproc,
      cpu_model: results.machine.cpuModel,
      node: results.machine.node,
      nginx: results.machine.nginx?.version ?? null,
      wrk: results.machine.wrk?.version ?? null,
      taskset: results.machine.taskset !== null,
    },
    setup: {
      load_tool: results.setup.loadTool,
      upstream: results.setup.upstream,
      placement: results.setup.placement,
      connections: results.setup.connections,
      rounds: results.setup.rounds,
      duration_seconds: results.setup.durationSeconds,
      warmup_seconds: results.setup.warmupSeconds,
      access_log: results.setup.accessLog,
      command: results.setup.command,
    },
    configurations: configurationsJson(figures.configurations, results.throughput),
    ratios,
    ratio_ranges: ranges,
    side_by_side: Object.fromEntries(
      figures.sideBySide.map((pair) => [
        pair.name,
        {
          numerator: pair.numerator,
          denominator: pair.denominator,
          requests_ratio: pair.requests === null ? null : { ...spreadJson(pair.requests), rounds: pair.requests.rounds },
          cpu_ratio: pair.cpu === null ? null : { ...spreadJson(pair.cpu), rounds: pair.cpu.rounds },
        },
      ]),
    ),
    cpu_ratios: Object.fromEntries(
      Object.entries(figures.cpuRatios).map(([name, value]) => [name, value === null ? null : { ...spreadJson(value), rounds: value.rounds }]),
    ),
    fixed_rate:
      figures.fixedRate === null || results.fixedRate === null
        ? null
        : {
            rate: figures.fixedRate.rate,
            duration_seconds: results.fixedRate.durationSeconds,
            configurations: configurationsJson(figures.fixedRate.configurations, results.fixedRate.runs),
            added_p50_ms: figures.fixedRate.addedP50Ms === null ? null : spreadJson(figures.fixedRate.addedP50Ms),
            added_p99_ms: figures.fixedRate.addedP99Ms === null ? null : spreadJson(figures.fixedRate.addedP99Ms),
          },
    targets: figures.targets.map((t) => ({ name: t.name, value: t.value === null ? null : finite(t.value), target: t.target, met: t.met, source: t.source ?? null })),
    labs:
      results.labs === null
        ? { available: false, reason: 'skipped (--no-labs)' }
        : results.labs.available
          ? {
              available: true,
              wall_seconds: finite(results.labs.wallSeconds),
              window_wait_seconds: finite(results.labs.windowWaitSeconds),
              without_waits_seconds: finite(results.labs.withoutWaitsSeconds),
              exit_code: results.labs.exitCode,
              note: results.labs.note,
            }
          : { available: false, reason: results.labs.reason },
    startup: startupTimingJson(results.startup),
    profiles: results.profiles.map((p) => ({ name: p.name, ...p.summary })),
    notes: results.notes,
  };
}

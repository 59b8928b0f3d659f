// Turns the measured runs into figures: medians and ranges per configuration, ratios paired round
// by round, the latency the gateway adds at a fixed rate, and the targets; as text and as JSON.

import {
  addedPluginConfiguration,
  addedPluginPairName,
  CONFIGURATION_IDS,
  CONFIGURATION_LABELS,
  NODES_CONFIGURATION,
  SIDE_BY_SIDE_PAIRS,
  TWIN_PAIR_NAME,
  type ConfigurationId,
  type SideBySidePair,
} from './configurations.js';
import { ADDED_PLUGINS } from './gateway-config.js';
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
  /** Requests per second each server of a fixed-rate pair got (absent in results from before such pairs). */
  pairRate?: number;
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  accessLog: string;
  command: string;
}

/** One round of a pair: its servers under load at the same time (the third only for pairs with `alongside`). */
export interface SideBySideRound {
  numerator: LoadResult;
  denominator: LoadResult;
  alongside?: LoadResult;
}

/** One pair measured side by side; null where that round failed. */
export interface SideBySideRuns extends SideBySidePair {
  rounds: (SideBySideRound | null)[];
}

export interface BenchResults {
  machine: MachineInfo;
  setup: BenchSetup;
  throughput: Runs;
  /** Absent in results of runs that did not measure pairs side by side. */
  sideBySide?: SideBySideRuns[];
  /** Configurations that could not run on this machine, with the reason (redis-server missing, …). */
  unavailable?: Partial<Record<ConfigurationId, string>>;
  /** Lines the tcp-log sink received against the responses the tcp-log configuration served; null when not run. */
  tcpLog?: { linesReceived: number | null; connections: number | null; responses: number } | null;
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
  /** The same split into user and system time (µs per request; NaN where /proc/<pid>/stat was not readable). */
  userUsPerRequest: Spread;
  sysUsPerRequest: Spread;
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
  /**
   * Pairs with `alongside` only: the added plugin's own cost against no plugins, as the ratio a gateway
   * running only it would get: denominator CPU ÷ (denominator + numerator − alongside CPU), per round.
   */
  pluginCpu?: RatioFigures | null;
  /** Each server's CPU per request split into user and system time, µs, median [range] over rounds. */
  cpuSplit: Partial<Record<SideBySideRole, UserSysSpread>>;
}

export type SideBySideRole = 'numerator' | 'denominator' | 'alongside';

export interface UserSysSpread {
  user: Spread;
  sys: Spread;
}

export interface Target {
  name: string;
  value: number | null;
  /** Which measurement the value comes from. */
  source?: SideBySideSource | 'alternated rounds, req/s' | 'alternated rounds, CPU per request';
  target: string;
  met: boolean | null;
  /** Why there is no value, where a configuration could not run here. */
  reason?: string;
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
      userUsPerRequest: spread(series(list, (run) => run.serverUserUsPerRequest ?? Number.NaN)),
      sysUsPerRequest: spread(series(list, (run) => run.serverSysUsPerRequest ?? Number.NaN)),
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

const cpuOf = (run: LoadResult) => run.serverCpuUsPerRequest ?? Number.NaN;

/** Per round: none ÷ (none + withPlugin − without), the ratio a gateway running only the plugin would get (higher = cheaper). */
function ownCostRatios(withPlugin: readonly number[], without: readonly number[], none: readonly number[]): RatioFigures | null {
  const added = withPlugin.map((cpu, round) => none[round] + cpu - without[round]);
  const figures = roundRatios(none, added);
  return figures.rounds === 0 ? null : figures;
}

function sideBySideFigures(pairs: readonly SideBySideRuns[]): SideBySideFigures[] {
  return pairs.map((pair) => {
    const numerator = pair.rounds.map((round) => round?.numerator ?? null);
    const denominator = pair.rounds.map((round) => round?.denominator ?? null);
    const requests = roundRatios(series(numerator, (r) => r.requestsPerSecond), series(denominator, (r) => r.requestsPerSecond));
    const cpuFigures = roundRatios(series(denominator, cpuOf), series(numerator, cpuOf));
    const { name, numerator: n, denominator: d, alongside: a, fixedRate } = pair;
    const split = (runs: (LoadResult | null)[]): UserSysSpread => ({
      user: spread(series(runs, (r) => r.serverUserUsPerRequest ?? Number.NaN)),
      sys: spread(series(runs, (r) => r.serverSysUsPerRequest ?? Number.NaN)),
    });
    const cpuSplit: SideBySideFigures['cpuSplit'] = { numerator: split(numerator), denominator: split(denominator) };
    const figures: SideBySideFigures = {
      name,
      numerator: n,
      denominator: d,
      ...(fixedRate ? { fixedRate } : {}),
      requests: requests.rounds === 0 ? null : requests,
      cpu: cpuFigures.rounds === 0 ? null : cpuFigures,
      cpuSplit,
    };
    if (a === undefined) return figures;
    const alongside = pair.rounds.map((round) => round?.alongside ?? null);
    cpuSplit.alongside = split(alongside);
    return { ...figures, alongside: a, pluginCpu: ownCostRatios(series(numerator, cpuOf), series(alongside, cpuOf), series(denominator, cpuOf)) };
  });
}

/**
 * The side-by-side CPU-per-request ratio where that pair was measured (the steadiest figure, and fair to
 * nginx, whose req/s side by side is capped by the shared load core), else the alternated rounds' req/s ratio.
 */
function preferSideBySide(sideBySide: readonly SideBySideFigures[], name: string, alternated: RatioFigures | null): { figures: RatioFigures | null; source: Target['source'] } {
  const pair = sideBySide.find((p) => p.name === name);
  if (pair?.cpu) return { figures: pair.cpu, source: sideBySideSource(pair) };
  return { figures: alternated, source: 'alternated rounds, req/s' };
}

type SideBySideSource = 'side by side, CPU per request' | 'side by side at a fixed rate, CPU per request';

function sideBySideSource(pair: SideBySidePair): SideBySideSource {
  return pair.fixedRate ? 'side by side at a fixed rate, CPU per request' : 'side by side, CPU per request';
}

type Measured = RatioFigures | null | { figures: RatioFigures | null; source: Target['source'] };

function atLeast(name: string, measured: Measured, bound: number, strictly = false): Target {
  const { figures, source } = measured !== null && 'source' in measured ? measured : { figures: measured, source: undefined };
  const value = figures?.median ?? null;
  const met = value === null ? null : strictly ? value > bound : value >= bound;
  return { name, value, target: `${strictly ? '>' : '≥'} ${bound}`, met, ...(source ? { source } : {}) };
}

/** A target whose configuration could not run here says why rather than "not measured" alone. */
function withReason(target: Target, unavailable: BenchResults['unavailable'], ids: readonly ConfigurationId[]): Target {
  if (target.value !== null) return target;
  const id = ids.find((candidate) => unavailable?.[candidate] !== undefined);
  return id === undefined ? target : { ...target, reason: `${CONFIGURATION_LABELS[id]}: ${unavailable![id]}` };
}

/** The plugin's own cost from the side-by-side rounds (three servers at once), else from the alternated rounds' CPU. */
function pluginOwnCost(sideBySide: readonly SideBySideFigures[], runs: Runs, plugin: (typeof ADDED_PLUGINS)[number]): Measured {
  const pair = sideBySide.find((p) => p.name === addedPluginPairName(plugin));
  if (pair?.pluginCpu) return { figures: pair.pluginCpu, source: sideBySideSource(pair) };
  const id = addedPluginConfiguration(plugin);
  if (runs[id] === undefined || runs['gateway-key-auth-rate-limiting'] === undefined || runs['gateway-none'] === undefined) return null;
  const figures = ownCostRatios(series(runs[id], cpuOf), series(runs['gateway-key-auth-rate-limiting'], cpuOf), series(runs['gateway-none'], cpuOf));
  return { figures, source: 'alternated rounds, CPU per request' };
}

/** The whole configuration against another, side by side where measured, else from the alternated rounds' CPU per request. */
function preferSideBySideCpu(sideBySide: readonly SideBySideFigures[], name: string, alternatedCpu: RatioFigures | null): Measured {
  const pair = sideBySide.find((p) => p.name === name);
  if (pair?.cpu) return { figures: pair.cpu, source: sideBySideSource(pair) };
  return alternatedCpu === null ? null : { figures: alternatedCpu, source: 'alternated rounds, CPU per request' };
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
    nodes_vs_one: ratio(runs, NODES_CONFIGURATION.id, gateway),
  };
  const cpuRatios: Record<string, RatioFigures | null> = {
    gateway_vs_nginx: cpuRatio(runs, gateway, 'nginx'),
    gateway_vs_minimal: cpuRatio(runs, gateway, 'minimal'),
    plugins_vs_none: cpuRatio(runs, gateway, 'gateway-none'),
    key_auth_vs_none: cpuRatio(runs, 'gateway-key-auth', 'gateway-none'),
    gateway_none_vs_minimal: cpuRatio(runs, 'gateway-none', 'minimal'),
    minimal_vs_nginx: cpuRatio(runs, 'minimal', 'nginx'),
    nodes_vs_one: cpuRatio(runs, NODES_CONFIGURATION.id, gateway),
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
  const unavailable = results.unavailable;
  for (const plugin of ADDED_PLUGINS) {
    const id = addedPluginConfiguration(plugin);
    const target =
      plugin === 'proxy-cache'
        ? atLeast(
            'key-auth + rate-limiting + proxy-cache hits vs no plugins (hits cheaper than no plugin at all)',
            preferSideBySideCpu(sideBySide, addedPluginPairName(plugin), cpuRatio(runs, id, 'gateway-none')),
            1,
            true,
          )
        : atLeast(`${plugin} on its own vs no plugins (its cost ≤ 5 %)`, pluginOwnCost(sideBySide, runs, plugin), 0.95);
    targets.push(withReason(target, unavailable, [id]));
  }
  const redisId: ConfigurationId = 'gateway-key-auth-rate-limiting-redis';
  targets.push(
    withReason(
      atLeast('rate-limiting policy redis vs local', preferSideBySideCpu(sideBySide, 'redis_vs_local', cpuRatio(runs, redisId, gateway)), 0.85),
      unavailable,
      [redisId],
    ),
  );
  if (fixedRate !== null) targets.push(atMost(`p99 added at ${fixedRate.rate} req/s (ms)`, fixedRate.addedP99Ms, 1, ' ms'));
  return { configurations: configurationFigures(runs), ratios, cpuRatios, fixedRate, sideBySide, targets };
}

// ---- text ----

const NODES_NOTE =
  `  (the ${NODES_CONFIGURATION.nodes} nodes and the balancer share the server core, as the one node has it alone: on 2 cores this mostly shows ` +
  "the balancer's cost, one more hop per request, not what more nodes on more cores would serve)";

const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (value: number) => fixed(value, value < 10 ? 2 : 1);

function ratioText(figures: RatioFigures | null): string {
  if (figures === null) return 'n/a';
  return `${fixed(figures.median, 2)}  [${fixed(figures.min, 2)}–${fixed(figures.max, 2)}, ${figures.rounds} rounds]`;
}

/** "gateway, no plugins 40.1 + 12.0; …" for each server of a side-by-side pair; null where the split was not readable. */
function cpuSplitText(pair: SideBySideFigures): string | null {
  const roles: SideBySideRole[] = ['numerator', 'denominator', 'alongside'];
  const parts = roles.flatMap((role) => {
    const id = pair[role];
    const split = pair.cpuSplit[role];
    if (id === undefined || split === undefined || !Number.isFinite(split.user.median)) return [];
    return [`${CONFIGURATION_LABELS[id]} ${fixed(split.user.median, 1)} + ${fixed(split.sys.median, 1)}`];
  });
  return parts.length === 0 ? null : parts.join('; ');
}

function signedMs(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}` : 'n/a';
}

function table(configurations: Partial<Record<ConfigurationId, ConfigurationFigures>>, withRate: boolean): string[] {
  const width = Math.max(36, ...Object.values(configurations).map((figures) => figures.label.length + 2));
  const lines = [
    `  ${'configuration'.padEnd(width)}${(withRate ? 'req/s median [range]' : 'req/s').padEnd(26)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(12)}${'cores'.padStart(7)}${'errors'.padStart(8)}`,
  ];
  for (const id of CONFIGURATION_IDS) {
    const figures = configurations[id];
    if (!figures) continue;
    const rps = withRate
      ? `${int(figures.requestsPerSecond.median)} [${int(figures.requestsPerSecond.min)}–${int(figures.requestsPerSecond.max)}]`
      : int(figures.requestsPerSecond.median);
    lines.push(
      `  ${figures.label.padEnd(width)}${rps.padEnd(26)}${ms(figures.p50Ms.median).padStart(8)}${ms(figures.p99Ms.median).padStart(9)}` +
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
  if (r.nodes_vs_one) lines.push(`  ${`${NODES_CONFIGURATION.nodes} nodes behind the TCP balancer / 1 node`.padEnd(52)}${ratioText(r.nodes_vs_one)}`);
  lines.push('');
  lines.push('The same from CPU per request (server CPU of the denominator / of the numerator; steadier on a shared machine):');
  const c = figures.cpuRatios;
  lines.push(`  gateway (key-auth + rate-limiting) vs nginx         ${ratioText(c.gateway_vs_nginx)}`);
  lines.push(`  gateway (key-auth + rate-limiting) vs minimal proxy ${ratioText(c.gateway_vs_minimal)}`);
  lines.push(`  key-auth + rate-limiting vs no plugins              ${ratioText(c.plugins_vs_none)}`);
  lines.push(`  key-auth vs no plugins                              ${ratioText(c.key_auth_vs_none)}`);
  lines.push(`  gateway, no plugins vs minimal proxy                ${ratioText(c.gateway_none_vs_minimal)}`);
  lines.push(`  minimal proxy vs nginx                              ${ratioText(c.minimal_vs_nginx)}`);
  if (c.nodes_vs_one) lines.push(`  ${`${NODES_CONFIGURATION.nodes} nodes behind the TCP balancer vs 1 node`.padEnd(52)}${ratioText(c.nodes_vs_one)}`);
  if (r.nodes_vs_one || c.nodes_vs_one) lines.push(NODES_NOTE);
  if (figures.sideBySide.length > 0) {
    lines.push('');
    const rate = results.setup.pairRate;
    lines.push(
      'Side by side (the servers of a pair on the server core at once, each under its share of the connections,' +
        ` or${rate === undefined ? '' : ` at ${rate} req/s each`} where marked "fixed rate"; per round, median [min–max]):`,
    );
    const pairName = (pair: SideBySideFigures) => `${CONFIGURATION_LABELS[pair.numerator]} / ${CONFIGURATION_LABELS[pair.denominator]}`;
    const width = Math.max(66, ...figures.sideBySide.map((pair) => pairName(pair).length + 2));
    lines.push(`  ${'pair'.padEnd(width)}${'req/s ratio'.padEnd(30)}CPU/request ratio`);
    for (const pair of figures.sideBySide) {
      // At a fixed rate both servers answer what is sent: their req/s ratio is 1 by construction.
      lines.push(`  ${pairName(pair).padEnd(width)}${(pair.fixedRate ? 'fixed rate' : ratioText(pair.requests)).padEnd(30)}${ratioText(pair.cpu)}`);
      if (pair.alongside !== undefined) lines.push(`  ${'  the added plugin on its own (see below)'.padEnd(width + 30)}${ratioText(pair.pluginCpu ?? null)}`);
      const splitText = cpuSplitText(pair);
      if (splitText !== null) lines.push(`    CPU µs/request, user + sys (medians): ${splitText}`);
    }
    if (figures.sideBySide.some((pair) => pair.name === TWIN_PAIR_NAME && pair.cpu !== null)) {
      lines.push('  The twin pair is two identical gateways: how far its CPU ratio strays from 1.00 is what the method itself cannot tell apart.');
    }
    if (figures.sideBySide.some((pair) => pair.alongside !== undefined)) {
      lines.push(
        "  A plugin's pair runs three servers at once: the plugin's configuration, no plugins, and key-auth + rate-limiting alongside;",
        '  "on its own" is no plugins\' CPU per request / (no plugins\' + what the plugin adds to key-auth + rate-limiting), per round.',
      );
    }
  }
  const unavailable = Object.entries(results.unavailable ?? {});
  if (unavailable.length > 0) {
    lines.push('');
    lines.push('Not measured on this machine:');
    for (const [id, reason] of unavailable) lines.push(`  ${CONFIGURATION_LABELS[id as ConfigurationId]}: unavailable — ${reason}`);
  }
  if (results.tcpLog) {
    const { linesReceived, connections, responses } = results.tcpLog;
    lines.push('');
    lines.push(
      linesReceived === null
        ? `tcp-log: the sink did not report how many lines it received (${int(responses)} responses served)`
        : `tcp-log: the sink received ${int(linesReceived)} lines${connections === null ? '' : ` over ${int(connections)} connection${connections === 1 ? '' : 's'}`} for ${int(responses)} responses the load generators counted ` +
            `(${fixed((100 * linesReceived) / Math.max(1, responses), 1)} %; they do not count requests still in flight when a run ends, ` +
            'and the gateway drops lines it cannot send in time rather than make a request wait)',
    );
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
    const why = target.reason ? ` (${target.reason})` : '';
    lines.push(`  ${target.name}: ${target.value === null ? 'n/a' : fixed(target.value, 3)} (target ${target.target}${source}) — ${verdict}${why}`);
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
      cpu_user_us_per_request: spreadJson(figures.userUsPerRequest),
      cpu_sys_us_per_request: spreadJson(figures.sysUsPerRequest),
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
              cpu_user_us_per_request: finite(run.serverUserUsPerRequest ?? Number.NaN),
              cpu_sys_us_per_request: finite(run.serverSysUsPerRequest ?? Number.NaN),
              server_cores: finite(run.serverCores ?? Number.NaN),
            },
      ),
    };
  }
  return out;
}

const ratioJson = (figures: RatioFigures | null | undefined) => (figures ? { ...spreadJson(figures), rounds: figures.rounds } : null);

/**
 * `side_by_side.<pair>`: every ratio oriented as the others, higher is better (the numerator's
 * throughput over the denominator's; the denominator's CPU per request over the numerator's;
 * `plugin_cpu_ratio`, for a plugin's configuration, no plugins' CPU over no plugins' plus what the
 * plugin adds). A pair whose configuration could not run here is `{ available: false, reason }`.
 */
function sideBySideJson(pairs: readonly SideBySideFigures[], unavailable: Partial<Record<ConfigurationId, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    out[pair.name] = {
      available: true,
      numerator: pair.numerator,
      denominator: pair.denominator,
      ...(pair.alongside === undefined ? {} : { alongside: pair.alongside }),
      fixed_rate: pair.fixedRate === true,
      requests_ratio: ratioJson(pair.requests),
      cpu_ratio: ratioJson(pair.cpu),
      ...(pair.alongside === undefined ? {} : { plugin_cpu_ratio: ratioJson(pair.pluginCpu) }),
      cpu_split: Object.fromEntries(
        Object.entries(pair.cpuSplit).map(([role, split]) => [role, { user_us_per_request: spreadJson(split.user), sys_us_per_request: spreadJson(split.sys) }]),
      ),
    };
  }
  for (const pair of SIDE_BY_SIDE_PAIRS) {
    const missing = [pair.numerator, pair.denominator, pair.alongside].find((id) => id !== undefined && unavailable[id] !== undefined);
    if (out[pair.name] === undefined && missing !== undefined) {
      out[pair.name] = { available: false, numerator: pair.numerator, denominator: pair.denominator, reason: `${CONFIGURATION_LABELS[missing]}: ${unavailable[missing]}` };
    }
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
      pair_rate: results.setup.pairRate ?? null,
      rounds: results.setup.rounds,
      duration_seconds: results.setup.durationSeconds,
      warmup_seconds: results.setup.warmupSeconds,
      access_log: results.setup.accessLog,
      command: results.setup.command,
    },
    configurations: configurationsJson(figures.configurations, results.throughput),
    ratios,
    ratio_ranges: ranges,
    side_by_side: sideBySideJson(figures.sideBySide, results.unavailable ?? {}),
    unavailable: { ...(results.unavailable ?? {}) },
    tcp_log: results.tcpLog ? { lines_received: results.tcpLog.linesReceived, connections: results.tcpLog.connections, responses: results.tcpLog.responses } : null,
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
    targets: figures.targets.map((t) => ({
      name: t.name,
      value: t.value === null ? null : finite(t.value),
      target: t.target,
      met: t.met,
      source: t.source ?? null,
      ...(t.reason ? { reason: t.reason } : {}),
    })),
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

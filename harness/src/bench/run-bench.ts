// The whole bench: start every server once, warm each up, then measure them round after round in
// alternating order (so a noisy neighbour weighs on all of them alike), then latency at a fixed
// rate, then the labs' wall time. Everything started is stopped at the end, on error and on Ctrl-C.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stopAllChildren } from './child-processes.js';
import { readProcessesCpu, type CpuReading } from './cpu-time.js';
import {
  addedPluginConfiguration,
  CONFIGURATION_LABELS,
  FIXED_RATE_IDS,
  GATEWAY_PLUGINS,
  NODES_CONFIGURATION,
  roundOrder,
  selectedConfigurations,
  SIDE_BY_SIDE_PAIRS,
  type ConfigurationId,
  type SideBySidePair,
} from './configurations.js';
import { BenchInterruptedError, BenchSetupError } from './errors.js';
import { timeLabs } from './labs-timing.js';
import { timeStartup } from './startup-timing.js';
import { autocannonTool, runPaced, runThroughput, wrkTool, type LoadTool } from './load.js';
import { totalErrors, type LoadResult } from './load-result.js';
import { PAYLOAD_TARGET_BYTES } from './payload.js';
import { describeMachine, pinningOf, type MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import { BENCH_NICENESS, LOAD_CPU, SERVER_CPU, type Pinning } from './pinning.js';
import { readProfiles, withSourceLines } from './profiles.js';
import type { BenchResults, Runs, SideBySideRound, SideBySideRuns } from './report.js';
import {
  checkKongShapedProxy,
  startBenchGateway,
  startBenchNodes,
  startBenchUpstream,
  startKongShapedProxy,
  startMinimalProxy,
  startNginxProxy,
  type BenchUpstream,
  type GatewayDependencies,
  type ServerContext,
  type ServerUnderTest,
} from './servers.js';
import { startBenchRedis, startTcpLogSinkProcess, type TcpLogSinkUnderBench } from './backing-services.js';

export type Progress = (message: string) => void;

/** The server's CPU time over a run (from /proc; left out where unreadable), per request and in cores. */
function attributeServerCpu(result: LoadResult, before: CpuReading, after: CpuReading): void {
  if (result.requests === 0) return;
  if (before.totalNs !== null && after.totalNs !== null) {
    result.serverCpuUsPerRequest = (after.totalNs - before.totalNs) / 1000 / result.requests;
    result.serverCores = (after.totalNs - before.totalNs) / 1e9 / result.durationSeconds;
  }
  if (before.split !== null && after.split !== null) {
    result.serverUserUsPerRequest = (after.split.userNs - before.split.userNs) / 1000 / result.requests;
    result.serverSysUsPerRequest = (after.split.sysNs - before.split.sysNs) / 1000 / result.requests;
  }
}

/** Connections of the paced client: enough that a slow response never holds the next one back. */
const PACED_CONNECTIONS = 32;
const PACED_WARMUP_SECONDS = 1;
/**
 * The paced client ticks every millisecond or so; later than this (p99) it was starved of CPU and sent
 * in bursts. Its latencies still run from the actual send, but the burst makes them look worse.
 */
const CLIENT_LAG_NOTE_MS = 10;
/** A fixed-rate pair's server that answered fewer than this share of the requests due was saturated. */
const PAIR_RATE_SHORTFALL = 0.97;
/** More failed responses than this share and a run's figures say little about proxying. */
const ERROR_NOTE_SHARE = 0.001;

function chooseLoadTool(options: BenchOptions, machine: MachineInfo, tempDir: string): LoadTool {
  if (options.load !== 'autocannon' && machine.wrk !== null) return wrkTool(machine.wrk.path, tempDir);
  if (options.load === 'wrk') throw new BenchSetupError('--load wrk was asked for but wrk is not installed (apt-get install wrk)');
  const tool = autocannonTool();
  if (tool === null) throw new BenchSetupError('no load generator: neither wrk (apt-get install wrk) nor autocannon (npm devDependency) is installed');
  return tool;
}

function chooseNginx(options: BenchOptions, machine: MachineInfo): string | null {
  if (options.upstream === 'embedded') return null;
  if (machine.nginx !== null) return machine.nginx.path;
  if (options.upstream === 'nginx') throw new BenchSetupError('--upstream nginx was asked for but nginx is not installed (apt-get install nginx-light)');
  return null;
}

function placement(pinning: Pinning): string {
  const priority = pinning.nice ? `; servers and load at nice ${BENCH_NICENESS}` : '';
  if (pinning.taskset === null) return `not pinned (taskset missing or a single CPU): load and servers share the CPUs${priority}`;
  return `load generator on CPU ${LOAD_CPU}; server under test on CPU ${SERVER_CPU}; the upstream on CPU ${SERVER_CPU} when measured directly, else on CPU ${LOAD_CPU} beside the load${priority}`;
}

function loadToolName(tool: LoadTool, machine: MachineInfo): string {
  return tool.kind === 'wrk' ? `wrk ${machine.wrk?.version ?? ''} (1 thread)`.replace('  ', ' ') : 'autocannon (npm; latencies in whole ms)';
}

function describeRun(run: LoadResult): string {
  const rate = Math.round(run.requestsPerSecond).toLocaleString('en-US');
  const errors = totalErrors(run.errors);
  const split =
    run.serverUserUsPerRequest === undefined || run.serverSysUsPerRequest === undefined
      ? ''
      : ` (user ${run.serverUserUsPerRequest.toFixed(1)} + sys ${run.serverSysUsPerRequest.toFixed(1)})`;
  const cpu = run.serverCpuUsPerRequest === undefined ? '' : `, server ${run.serverCpuUsPerRequest.toFixed(1)} µs CPU/req${split} on ${run.serverCores?.toFixed(2)} cores`;
  return `${rate} req/s, p50 ${run.latencyMs.p50.toFixed(2)} ms, p99 ${run.latencyMs.p99.toFixed(2)} ms${cpu}${errors > 0 ? `, ${errors} errors` : ''}`;
}

/** `signal` aborts the run (Ctrl-C): it stops between two steps and throws BenchInterruptedError. */
export async function runBench(options: BenchOptions, command: string, progress: Progress, signal?: AbortSignal): Promise<BenchResults> {
  const checkpoint = () => {
    if (signal?.aborted) throw new BenchInterruptedError();
  };
  const machine = await describeMachine();
  const pinning = pinningOf(machine, { priority: options.priority });
  const tempDir = mkdtempSync(join(tmpdir(), 'labkit-bench-'));
  const notes: string[] = [];
  const profileDir = options.profileDir === null ? null : resolve(options.profileDir);
  if (profileDir !== null) {
    mkdirSync(profileDir, { recursive: true });
    // Profiles of an earlier run would be mistaken for this one's.
    for (const entry of readdirSync(profileDir).filter((name) => name.startsWith('gateway-') || name === 'minimal-proxy' || name === 'kong-shaped-proxy')) {
      rmSync(join(profileDir, entry), { recursive: true, force: true });
    }
    notes.push(`the gateways and the minimal proxies ran under --cpu-prof (profiles in ${profileDir}): their figures include the profiler's overhead`);
  }
  try {
    const loadTool = chooseLoadTool(options, machine, tempDir);
    const ctx: ServerContext = { pinning, tempDir, nginx: chooseNginx(options, machine), profileDir };
    if (ctx.nginx === null) notes.push("nginx is not installed: the upstream is the embedded Node server and there is no nginx reverse proxy to compare with");
    if (loadTool.kind === 'autocannon') notes.push('wrk is not installed: autocannon (a Node process) generates the load; upstream-direct and nginx figures are capped by it');
    if (pinning.taskset === null) notes.push('processes are not pinned to CPUs (no taskset, or one CPU): figures are noisier');
    // A throwaway key for this run only; never printed.
    const apiKey = randomBytes(16).toString('hex');

    const selected = new Set(selectedConfigurations(options.only?.filter((section) => section !== 'startup') ?? null));
    const everything = options.only === null;
    progress(`starting servers (upstream: ${ctx.nginx ? 'nginx' : 'embedded'}; load: ${loadTool.kind})…`);
    const upstream: BenchUpstream = await startBenchUpstream(ctx);
    checkpoint();
    // The upstream runs whatever is selected (every proxy needs it); it is measured only when selected.
    const servers = new Map<ConfigurationId, ServerUnderTest>([['upstream', upstream]]);
    if (ctx.nginx !== null && selected.has('nginx')) servers.set('nginx', await startNginxProxy(ctx, upstream));
    if (selected.has('minimal')) servers.set('minimal', await startMinimalProxy(ctx, upstream));
    if (selected.has('kong-shaped')) servers.set('kong-shaped', await startKongShapedProxy(ctx, upstream, apiKey));
    /** Configurations that could not run here, and why (redis-server missing, a gateway that would not start). */
    const unavailable: Partial<Record<ConfigurationId, string>> = {};
    const notMeasured = (id: ConfigurationId, err: unknown) => {
      checkpoint();
      const message = err instanceof Error ? err.message : String(err);
      unavailable[id] = message.split('\n')[0];
      notes.push(`${CONFIGURATION_LABELS[id]}: not measured — ${message}`);
      progress(`${CONFIGURATION_LABELS[id]}: could not be started (${message.split('\n')[0]})`);
    };
    const dependencies: GatewayDependencies = {};
    let tcpLogSink: TcpLogSinkUnderBench | null = null;
    if (selected.has(addedPluginConfiguration('tcp-log'))) {
      try {
        tcpLogSink = await startTcpLogSinkProcess(ctx);
        dependencies.tcpLogSink = tcpLogSink;
      } catch (err) {
        notMeasured(addedPluginConfiguration('tcp-log'), err);
      }
    }
    const redisId: ConfigurationId = 'gateway-key-auth-rate-limiting-redis';
    if (selected.has(redisId)) {
      try {
        const redis = await startBenchRedis(ctx);
        if ('address' in redis) dependencies.redis = redis.address;
        else notMeasured(redisId, new Error(`redis-server is not available: ${redis.unavailable}`));
      } catch (err) {
        notMeasured(redisId, err);
      }
    }
    for (const [id, plugins] of Object.entries(GATEWAY_PLUGINS) as [ConfigurationId, NonNullable<(typeof GATEWAY_PLUGINS)[ConfigurationId]>][]) {
      if (!selected.has(id) || unavailable[id] !== undefined) continue;
      try {
        servers.set(id, await startBenchGateway(ctx, upstream, plugins, apiKey, dependencies, id.endsWith('-twin') ? `${plugins}-twin` : plugins));
      } catch (err) {
        notMeasured(id, err);
      }
    }
    if (selected.has(NODES_CONFIGURATION.id)) {
      try {
        servers.set(NODES_CONFIGURATION.id, await startBenchNodes(ctx, upstream, NODES_CONFIGURATION.nodes, NODES_CONFIGURATION.plugins, apiKey));
      } catch (err) {
        notMeasured(NODES_CONFIGURATION.id, err);
      }
    }
    const fullGateway = servers.get('gateway-key-auth-rate-limiting');
    const kongShaped = servers.get('kong-shaped');
    if (fullGateway !== undefined && kongShaped !== undefined) await checkKongShapedProxy(kongShaped, fullGateway);
    const ids = [...selected].filter((id) => servers.has(id));
    /** Responses each configuration served over the run, warm-up included (tcp-log's lines are counted against it). */
    const served = new Map<ConfigurationId, number>();
    const count = (id: ConfigurationId, result: LoadResult) => served.set(id, (served.get(id) ?? 0) + result.requests);

    const lateRuns: number[] = [];
    const alive = (id: ConfigurationId) => servers.get(id)!.children.every((child) => child.isRunning());
    const place = async (id: ConfigurationId) => upstream.child.repin(String(id === 'upstream' ? SERVER_CPU : LOAD_CPU));
    const measure = async (id: ConfigurationId, round: string, run: () => Promise<LoadResult>): Promise<LoadResult | null> => {
      checkpoint();
      if (!alive(id)) return null;
      await place(id);
      const pids = servers.get(id)!.children.map((child) => child.pid);
      try {
        const cpuBefore = readProcessesCpu(pids);
        const result = await run();
        const cpuAfter = readProcessesCpu(pids);
        checkpoint();
        attributeServerCpu(result, cpuBefore, cpuAfter);
        count(id, result);
        if (result.clientLagMsP99 !== undefined && result.clientLagMsP99 > CLIENT_LAG_NOTE_MS) lateRuns.push(result.clientLagMsP99);
        const errors = totalErrors(result.errors);
        if (errors > result.requests * ERROR_NOTE_SHARE) {
          notes.push(`${round} ${CONFIGURATION_LABELS[id]}: ${errors} errors for ${result.requests} responses (non-2xx or socket errors): its figures measure failures, not proxying`);
        }
        progress(`${round} ${CONFIGURATION_LABELS[id]}: ${describeRun(result)}`);
        return result;
      } catch (err) {
        checkpoint();
        const message = err instanceof Error ? err.message : String(err);
        notes.push(`${round} ${CONFIGURATION_LABELS[id]}: run failed — ${message}`);
        progress(`${round} ${CONFIGURATION_LABELS[id]}: failed (${message})`);
        if (!alive(id)) {
          const tail = servers.get(id)!.children.map((child) => child.stderrTail()).join('\n').trim();
          notes.push(`${CONFIGURATION_LABELS[id]} stopped running during the bench${tail ? `; its stderr ended with: ${tail.split('\n').slice(-3).join(' | ')}` : ''}`);
        }
        return null;
      }
    };
    const saturate = (id: ConfigurationId, seconds: number) => () =>
      runThroughput(pinning, loadTool, servers.get(id)!, { durationSeconds: seconds, connections: options.connections });

    progress(`warming up each configuration for ${options.warmupSeconds} s…`);
    for (const id of ids) await measure(id, 'warm-up', saturate(id, options.warmupSeconds));

    const throughput: Runs = Object.fromEntries(ids.map((id) => [id, [] as (LoadResult | null)[]]));
    for (let round = 0; round < options.rounds; round++) {
      for (const id of roundOrder(ids, round)) {
        throughput[id]![round] = await measure(id, `round ${round + 1}/${options.rounds}`, saturate(id, options.durationSeconds));
      }
    }

    // Side by side: the servers of a pair (and a third one alongside, for a plugin's own cost) on the
    // server core at once, each loaded by its own generator, with its share of the connections or (a
    // fixed-rate pair) at --pair-rate; the CPU each used per request is compared.
    const members = (pair: SideBySidePair): ConfigurationId[] => [pair.numerator, pair.denominator, ...(pair.alongside ? [pair.alongside] : [])];
    const sideBySide: SideBySideRuns[] = [];
    for (const pair of SIDE_BY_SIDE_PAIRS.filter((p) => members(p).every((id) => servers.has(id)))) {
      const runs: SideBySideRuns = { ...pair, rounds: [] };
      const together = members(pair);
      const connections = Math.max(1, Math.floor(options.connections / together.length));
      const serverNames = together.map((id) => CONFIGURATION_LABELS[id]).join(' | ');
      const load = (id: ConfigurationId, durationSeconds: number) =>
        pair.fixedRate
          ? runPaced(pinning, servers.get(id)!, { rate: options.pairRate, durationSeconds, warmupSeconds: 0, connections: PACED_CONNECTIONS })
          : runThroughput(pinning, loadTool, servers.get(id)!, { durationSeconds, connections });
      // The first fixed-rate round after the others' load came out up to 40 % dearer (the servers and
      // the paced clients warming up again): an unrecorded one goes first.
      if (pair.fixedRate && together.every(alive)) {
        checkpoint();
        await place(pair.numerator);
        // Its responses still reach the tcp-log sink: counted like every other run's.
        await Promise.all(together.map((id) => load(id, options.warmupSeconds).then((result) => count(id, result)))).catch((err: unknown) => {
          notes.push(`side by side warm-up ${serverNames}: failed — ${err instanceof Error ? err.message : String(err)}`);
        });
      }
      for (let round = 0; round < options.rounds; round++) {
        checkpoint();
        const label = `side by side ${round + 1}/${options.rounds} ${serverNames}`;
        if (!together.every(alive)) {
          runs.rounds.push(null);
          continue;
        }
        await place(pair.numerator);
        const pids = together.map((id) => servers.get(id)!.children.map((child) => child.pid));
        try {
          const before = pids.map(readProcessesCpu);
          const results = await Promise.all(together.map((id) => load(id, options.durationSeconds)));
          const after = pids.map(readProcessesCpu);
          checkpoint();
          results.forEach((result, index) => {
            attributeServerCpu(result, before[index], after[index]);
            count(together[index], result);
            if (pair.fixedRate && result.requests < options.pairRate * options.durationSeconds * PAIR_RATE_SHORTFALL) {
              notes.push(
                `${label}: ${CONFIGURATION_LABELS[together[index]]} answered ${result.requests} requests of the ${options.pairRate * options.durationSeconds} due ` +
                  '(the server core could not keep up with the fixed rate): that round measures a saturated server; try a lower --pair-rate',
              );
            }
          });
          const [numerator, denominator, alongside] = results;
          const measured: SideBySideRound = alongside === undefined ? { numerator, denominator } : { numerator, denominator, alongside };
          runs.rounds.push(measured);
          progress(`${label}: ${results.map(describeRun).join(' | ')}`);
        } catch (err) {
          checkpoint();
          const message = err instanceof Error ? err.message : String(err);
          notes.push(`${label}: run failed — ${message}`);
          runs.rounds.push(null);
        }
      }
      sideBySide.push(runs);
    }

    // A narrowed run (--only) has no direct upstream figure to add latency to: no fixed-rate runs.
    const fixedIds = everything ? FIXED_RATE_IDS.filter((id) => servers.has(id)) : [];
    const fixedRuns: Runs = Object.fromEntries(fixedIds.map((id) => [id, [] as (LoadResult | null)[]]));
    for (let round = 0; round < options.rounds; round++) {
      for (const id of roundOrder(fixedIds, round)) {
        fixedRuns[id]![round] = await measure(id, `fixed ${options.fixedRate}/s ${round + 1}/${options.rounds}`, () =>
          runPaced(pinning, servers.get(id)!, {
            rate: options.fixedRate,
            durationSeconds: options.fixedRateSeconds,
            warmupSeconds: PACED_WARMUP_SECONDS,
            connections: PACED_CONNECTIONS,
          }),
        );
      }
    }

    if (lateRuns.length > 0) {
      notes.push(
        `in ${lateRuns.length} fixed-rate run(s) the paced client sent up to ${Math.max(...lateRuns).toFixed(0)} ms late (p99): ` +
          'the load core was busy with something else, so requests left in bursts and those latencies are pessimistic',
      );
    }
    checkpoint();
    progress('stopping servers…');
    await stopAllChildren();
    const profiles = profileDir === null ? [] : await withSourceLines(readProfiles(profileDir));
    const tcpLogId = addedPluginConfiguration('tcp-log');
    const tcpLog: BenchResults['tcpLog'] =
      tcpLogSink === null || !servers.has(tcpLogId) ? null : { linesReceived: tcpLogSink.linesReceived(), connections: tcpLogSink.connections(), responses: served.get(tcpLogId) ?? 0 };

    let labs: BenchResults['labs'] = null;
    if (options.labs && everything) {
      progress('timing npm run labs (local runtime)…');
      labs = await timeLabs(signal);
      checkpoint();
    }
    const startup = everything || options.only?.includes('startup') ? await timeStartup(progress, signal) : null;
    checkpoint();

    return {
      machine,
      setup: {
        loadTool: loadToolName(loadTool, machine),
        upstream:
          ctx.nginx !== null
            ? `nginx ${machine.nginx?.version ?? ''} (1 process) serving a static ${PAYLOAD_TARGET_BYTES}-byte JSON`
            : `embedded Node server, a fixed ${PAYLOAD_TARGET_BYTES}-byte JSON`,
        placement: placement(pinning),
        connections: options.connections,
        pairRate: options.pairRate,
        rounds: options.rounds,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        accessLog: 'on (Kong logs every request by default), written to /dev/null',
        command,
      },
      throughput,
      sideBySide,
      unavailable,
      tcpLog,
      fixedRate: fixedIds.length === 0 ? null : { rate: options.fixedRate, durationSeconds: options.fixedRateSeconds, runs: fixedRuns },
      labs,
      startup,
      profiles,
      notes,
    };
  } finally {
    await stopAllChildren();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/bench/load-result.js';
import { parseLabsJson, windowWaitSeconds } from '../../src/bench/labs-timing.js';
import { computeFigures, formatLabsTiming, formatReport, resultsToJson, type BenchResults, type Runs } from '../../src/bench/report.js';

function run(requestsPerSecond: number, p50 = 1, p99 = 2, statusErrors = 0): LoadResult {
  return {
    // A server that used its whole core: CPU per request is the inverse of the rate.
    serverCpuUsPerRequest: 1e6 / requestsPerSecond,
    serverCores: 1,
    tool: 'wrk',
    requests: requestsPerSecond * 5,
    durationSeconds: 5,
    requestsPerSecond,
    latencyMs: { p50, p99, mean: p50, max: p99 * 2 },
    errors: { connect: 0, read: 0, write: 0, timeout: 0, status: statusErrors },
  };
}

const throughput: Runs = {
  upstream: [run(80_000), run(60_000), run(78_000)],
  nginx: [run(40_000), run(30_000), run(44_000)],
  minimal: [run(12_000), run(9_000), run(13_000)],
  'gateway-none': [run(12_000), run(9_000), null],
  'gateway-key-auth': [run(11_800), run(8_800), run(12_500)],
  'gateway-key-auth-rate-limiting': [run(11_400), run(8_700), run(12_400)],
};

const fixed: Runs = {
  upstream: [run(2000, 0.3, 0.6), run(2000, 0.4, 0.9)],
  minimal: [run(2000, 0.5, 1.0), run(2000, 0.6, 1.3)],
  'gateway-key-auth-rate-limiting': [run(2000, 0.55, 1.1), run(2000, 0.7, 1.9)],
};

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    machine: { nproc: 2, cpuModel: 'Test CPU', node: 'v20.0.0', date: '2026-01-02T03:04:05.000Z', nginx: { path: '/usr/sbin/nginx', version: '1.22.1' }, wrk: { path: '/usr/bin/wrk', version: '4.1.0' }, taskset: '/usr/bin/taskset', nice: '/usr/bin/nice', privileged: true },
    setup: {
      loadTool: 'wrk 4.1.0 (1 thread)',
      upstream: 'nginx',
      placement: 'load on CPU 1',
      connections: 50,
      rounds: 3,
      durationSeconds: 8,
      warmupSeconds: 4,
      accessLog: 'on, to /dev/null',
      command: 'npm run bench',
    },
    throughput,
    fixedRate: { rate: 2000, durationSeconds: 5, runs: fixed },
    labs: { available: true, wallSeconds: 66.5, windowWaitSeconds: 62.6, withoutWaitsSeconds: 3.9, exitCode: 0, note: null },
    profiles: [],
    notes: [],
    ...overrides,
  };
}

describe('figures', () => {
  const figures = computeFigures(results());

  it('pairs each ratio round by round: gateway = key-auth + rate-limiting', () => {
    expect(figures.ratios.gateway_vs_nginx?.median).toBeCloseTo(11_400 / 40_000, 10);
    expect(figures.ratios.gateway_vs_nginx?.min).toBeCloseTo(12_400 / 44_000, 10);
    expect(figures.ratios.gateway_vs_nginx?.max).toBeCloseTo(8_700 / 30_000, 10);
    expect(figures.ratios.gateway_vs_minimal?.median).toBeCloseTo(12_400 / 13_000, 10);
  });

  it('gives the same comparisons from CPU per request', () => {
    expect(figures.cpuRatios.gateway_vs_nginx?.median).toBeCloseTo(11_400 / 40_000, 10);
    expect(figures.configurations.upstream?.cpuUsPerRequest.median).toBeCloseTo(1e6 / 78_000, 10);
    expect(figures.configurations.upstream?.serverCores.median).toBe(1);
  });

  it('leaves a failed round out of its ratios only', () => {
    expect(figures.ratios.plugins_vs_none?.rounds).toBe(2);
    expect(figures.ratios.plugins_vs_none?.median).toBeCloseTo((11_400 / 12_000 + 8_700 / 9_000) / 2, 10);
    expect(figures.configurations['gateway-none']?.roundsMeasured).toBe(2);
  });

  it('gives the latency the gateway adds over the direct upstream at the fixed rate', () => {
    expect(figures.fixedRate?.addedP50Ms?.median).toBeCloseTo((0.25 + 0.3) / 2, 10);
    expect(figures.fixedRate?.addedP99Ms?.median).toBeCloseTo((0.5 + 1.0) / 2, 10);
  });

  it('checks the targets', () => {
    const byName = Object.fromEntries(figures.targets.map((t) => [t.name.split(' (')[0], t]));
    expect(byName['key-auth + rate-limiting vs minimal Node proxy'].met).toBe(true);
    expect(byName['key-auth + rate-limiting vs nginx'].met).toBe(true);
    expect(byName['key-auth + rate-limiting vs no plugins'].met).toBe(true);
    expect(byName['p99 added at 2000 req/s'].met).toBe(true);
  });

  it('says n/a rather than inventing a ratio when nginx is missing', () => {
    const { nginx: _nginx, ...withoutNginx } = throughput;
    const noNginx = computeFigures(results({ throughput: withoutNginx }));
    expect(noNginx.ratios.gateway_vs_nginx).toBeNull();
    expect(noNginx.targets.find((t) => t.name.includes('vs nginx'))?.met).toBeNull();
    expect(resultsToJson(results({ throughput: withoutNginx })).ratios).toMatchObject({ gateway_vs_nginx: null });
  });
});

describe('JSON for scripts', () => {
  const json = resultsToJson(results()) as {
    ratios: Record<string, number | null>;
    ratio_ranges: Record<string, { median: number; min: number; max: number; rounds: number }>;
    configurations: Record<string, { requests_per_second: { median: number }; rounds: unknown[] }>;
    fixed_rate: { added_p99_ms: { median: number } };
    machine: { nproc: number; cpu_model: string };
    labs: { available: boolean; without_waits_seconds: number };
  };

  it('has the three ratios as plain median numbers', () => {
    expect(json.ratios.gateway_vs_nginx).toBeCloseTo(0.285, 4);
    expect(json.ratios.gateway_vs_minimal).toBeCloseTo(12_400 / 13_000, 4);
    expect(typeof json.ratios.plugins_vs_none).toBe('number');
    expect(json.ratio_ranges.gateway_vs_nginx.rounds).toBe(3);
  });

  it('keeps per-configuration figures, rounds, machine and labs timing', () => {
    expect(json.configurations.upstream.requests_per_second.median).toBe(78_000);
    expect(json.configurations['gateway-none'].rounds[2]).toBeNull();
    expect(json.fixed_rate.added_p99_ms.median).toBeCloseTo(0.75, 4);
    expect(json.machine).toMatchObject({ nproc: 2, cpu_model: 'Test CPU' });
    expect(json.labs).toMatchObject({ available: true, without_waits_seconds: 3.9 });
  });

  it('survives a JSON round trip (no NaN or undefined)', () => {
    const text = JSON.stringify(resultsToJson(results({ throughput: { ...throughput, minimal: [null, null, null] } })));
    expect(text).not.toMatch(/NaN|undefined/);
    expect(JSON.parse(text).ratios.gateway_vs_minimal).toBeNull();
  });
});

describe('text report', () => {
  const text = formatReport(results({ notes: ['a note'] }));

  it('prints the machine, the setup and how to reproduce', () => {
    expect(text).toContain('2 × Test CPU (nproc 2)');
    expect(text).toContain('2026-01-02');
    expect(text).toContain('gateway access log: on, to /dev/null');
    expect(text).toContain('reproduce: npm run bench');
  });

  it('prints each configuration and the ratios with their ranges', () => {
    expect(text).toMatch(/upstream direct\s+78,000 \[60,000–80,000\]/);
    expect(text).toMatch(/gateway \(key-auth \+ rate-limiting\) \/ nginx\s+0\.28 {2}\[0\.28–0\.29, 3 rounds\]/);
    expect(text).toContain('p99 +0.75 ms');
    expect(text).toContain('— met');
    expect(text).toContain('  - a note');
  });
});

describe('labs timing', () => {
  it("adds up the runner's window waits", () => {
    const output = [
      '✓ 05-rate-limits',
      '  note: step 3: waited 31.3 s for a fresh rate-limit window',
      '  note: step 5: waited 12.0 s for a fresh rate-limit window',
      'all labs passed',
    ].join('\n');
    expect(windowWaitSeconds(output)).toBeCloseTo(43.3, 10);
    expect(windowWaitSeconds('no waits at all')).toBe(0);
  });

  it("reads the runner's --json summary", () => {
    const report = { format: 'kong-labkit/lab-results@1', passed: false, summary: { labs: 8, labsPassed: 7, waitedMs: 61_300, passed: false }, labs: [] };
    expect(parseLabsJson(`${JSON.stringify(report, null, 2)}\n`)).toEqual({ waitedSeconds: 61.3, labs: 8, labsPassed: 7, passed: false });
    expect(parseLabsJson('• starting httpbin…')).toBeNull();
    expect(parseLabsJson('{"format":"other"}')).toBeNull();
  });

  it('reports the time without the waits, or why there is none', () => {
    expect(formatLabsTiming({ available: true, wallSeconds: 66.5, windowWaitSeconds: 62.6, withoutWaitsSeconds: 3.9, exitCode: 0, note: null })).toMatch(
      /66\.5 s wall, of which 62\.6 s waiting for rate-limit windows; 3\.9 s without those waits \(target < 5 s: met\)/,
    );
    expect(formatLabsTiming({ available: false, reason: 'scripts/labs.ts does not exist yet' })).toBe(
      'labs timing: unavailable (scripts/labs.ts does not exist yet)',
    );
    expect(formatLabsTiming(null)).toContain('skipped');
  });
});

describe('side by side', () => {
  /** A pair round where the numerator served `n` req/s and the denominator `d`, each using CPU per request `cpuN`/`cpuD` µs. */
  function pairRound(n: number, d: number, cpuN: number, cpuD: number) {
    return { numerator: { ...run(n), serverCpuUsPerRequest: cpuN }, denominator: { ...run(d), serverCpuUsPerRequest: cpuD } };
  }
  const sideBySide: BenchResults['sideBySide'] = [
    {
      name: 'gateway_vs_minimal',
      numerator: 'gateway-key-auth-rate-limiting',
      denominator: 'minimal',
      rounds: [pairRound(5_000, 6_000, 120, 100), null, pairRound(4_000, 5_000, 125, 100), pairRound(4_500, 5_000, 110, 100)],
    },
    { name: 'plugins_vs_none', numerator: 'gateway-key-auth-rate-limiting', denominator: 'gateway-none', rounds: [null, null] },
  ];

  it('pairs the two servers of each round, leaving failed rounds out', () => {
    const figures = computeFigures(results({ sideBySide }));
    const pair = figures.sideBySide.find((p) => p.name === 'gateway_vs_minimal')!;
    expect(pair.requests).toMatchObject({ median: 0.8333333333333334, min: 0.8, max: 0.9, rounds: 3 });
    expect(pair.cpu?.median).toBeCloseTo(100 / 120, 10);
    expect(pair.cpu?.min).toBeCloseTo(100 / 125, 10);
    expect(figures.sideBySide.find((p) => p.name === 'plugins_vs_none')).toMatchObject({ requests: null, cpu: null });
  });

  it('gives the targets the side-by-side figure where the pair was measured, and says so', () => {
    const figures = computeFigures(results({ sideBySide }));
    const [vsMinimal, vsNginx, plugins] = figures.targets;
    // From CPU per request: rounds 100/120, 100/125, 100/110 → median 100/120.
    expect(vsMinimal).toMatchObject({ source: 'side by side, CPU per request', met: false });
    expect(vsMinimal.value).toBeCloseTo(100 / 120, 10);
    // Not measured side by side: the alternated rounds' req/s ratio, labelled as such.
    expect(vsNginx.source).toBe('alternated rounds, req/s');
    expect(vsNginx.value).toBeCloseTo(computeFigures(results()).ratios.gateway_vs_nginx!.median, 10);
    expect(plugins.source).toBe('alternated rounds, req/s');
  });

  it('prints the pairs and writes them to the JSON', () => {
    const text = formatReport(results({ sideBySide }));
    expect(text).toMatch(/Side by side \(the servers of a pair on the server core at once/);
    expect(text).toMatch(/gateway, key-auth \+ rate-limiting \/ minimal undici proxy\s+0\.83 {2}\[0\.80–0\.90, 3 rounds\]\s+0\.83 {2}\[0\.80–0\.91, 3 rounds\]/);
    expect(text).toMatch(/vs minimal Node proxy: 0\.833 \(target ≥ 0\.95, side by side, CPU per request\) — NOT met/);
    const json = resultsToJson(results({ sideBySide })) as { side_by_side: Record<string, unknown>; targets: { source: string | null }[] };
    expect(json.side_by_side.gateway_vs_minimal).toMatchObject({ numerator: 'gateway-key-auth-rate-limiting', denominator: 'minimal', requests_ratio: { median: 0.8333, rounds: 3 } });
    expect(json.side_by_side.plugins_vs_none).toMatchObject({ requests_ratio: null, cpu_ratio: null });
    expect(json.targets[0].source).toBe('side by side, CPU per request');
  });

  it("splits each server's CPU per request into user and system time, in the text and the JSON", () => {
    const split = (user: number, sys: number) => ({ ...run(5_000), serverUserUsPerRequest: user, serverSysUsPerRequest: sys });
    const rounds = [
      { numerator: split(80, 40), denominator: split(60, 20) },
      { numerator: split(90, 44), denominator: split(62, 22) },
      { numerator: split(70, 42), denominator: split(64, 24) },
    ];
    const withSplit: BenchResults['sideBySide'] = [{ name: 'plugins_vs_none', numerator: 'gateway-key-auth-rate-limiting', denominator: 'gateway-none', rounds }];
    const text = formatReport(results({ sideBySide: withSplit }));
    expect(text).toContain('CPU µs/request, user + sys (medians): gateway, key-auth + rate-limiting 80.0 + 42.0; gateway, no plugins 62.0 + 22.0');
    const json = resultsToJson(results({ sideBySide: withSplit })) as { side_by_side: Record<string, { cpu_split: unknown }> };
    expect(json.side_by_side.plugins_vs_none.cpu_split).toEqual({
      numerator: { user_us_per_request: { median: 80, min: 70, max: 90 }, sys_us_per_request: { median: 42, min: 40, max: 44 } },
      denominator: { user_us_per_request: { median: 62, min: 60, max: 64 }, sys_us_per_request: { median: 22, min: 20, max: 24 } },
    });
    // Runs without the split (an older results file, or stat unreadable) print no split line.
    expect(formatReport(results({ sideBySide }))).not.toContain('user + sys');
  });

  it('marks a fixed-rate pair: its source in the targets, "fixed rate" for its req/s ratio, the rate in the setup', () => {
    const rounds = [pairRound(800, 800, 275, 250), pairRound(800, 800, 290, 260), pairRound(800, 800, 280, 255)];
    const fixed: BenchResults['sideBySide'] = [
      { name: 'plugins_vs_none', numerator: 'gateway-key-auth-rate-limiting', denominator: 'gateway-none', fixedRate: true, rounds },
      { name: 'none_vs_twin', numerator: 'gateway-none-twin', denominator: 'gateway-none', fixedRate: true, rounds: [pairRound(800, 800, 251, 250)] },
    ];
    const withRate = results({ sideBySide: fixed });
    withRate.setup.pairRate = 800;
    const figures = computeFigures(withRate);
    const plugins = figures.targets.find((target) => target.name.startsWith('key-auth + rate-limiting vs no plugins'))!;
    expect(plugins.source).toBe('side by side at a fixed rate, CPU per request');
    expect(plugins.value).toBeCloseTo(250 / 275, 10);
    const text = formatReport(withRate, figures);
    expect(text).toContain('at 800 req/s each where marked "fixed rate"');
    expect(text).toMatch(/gateway, key-auth \+ rate-limiting \/ gateway, no plugins\s+fixed rate\s+0\.91 {2}\[0\.90–0\.91, 3 rounds\]/);
    expect(text).toMatch(/gateway, no plugins \(its twin\) \/ gateway, no plugins\s+fixed rate\s+1\.00/);
    expect(text).toContain('The twin pair is two identical gateways');
    const json = resultsToJson(withRate, figures) as { setup: { pair_rate: number }; side_by_side: Record<string, { fixed_rate: boolean }> };
    expect(json.setup.pair_rate).toBe(800);
    expect(json.side_by_side.plugins_vs_none.fixed_rate).toBe(true);
    expect((resultsToJson(results({ sideBySide })) as { side_by_side: Record<string, { fixed_rate: boolean }> }).side_by_side.gateway_vs_minimal.fixed_rate).toBe(false);
  });

  it('prints no side-by-side section for results without pairs', () => {
    expect(formatReport(results())).not.toContain('Side by side');
  });
});

describe('the added plugins, the redis policy and several nodes', () => {
  const cpuRun = (cpu: number) => ({ ...run(1e6 / cpu), serverCpuUsPerRequest: cpu });
  /** A plugin's round: its configuration, no plugins and key-auth + rate-limiting alongside, each at this CPU per request. */
  const triple = (withPlugin: number, none: number, base: number) => ({ numerator: cpuRun(withPlugin), denominator: cpuRun(none), alongside: cpuRun(base) });
  const pluginPair = (plugin: string, rounds: ReturnType<typeof triple>[]) => ({
    name: `${plugin.replaceAll('-', '_')}_vs_none`,
    numerator: `gateway-key-auth-rate-limiting+${plugin}` as const,
    denominator: 'gateway-none' as const,
    alongside: 'gateway-key-auth-rate-limiting' as const,
    rounds,
  });
  const sideBySide = [
    // acl adds 2 µs to key-auth + rate-limiting's 110, against no plugins' 100: on its own 100/102.
    pluginPair('acl', [triple(112, 100, 110), triple(113, 100, 110), triple(111, 100, 110)]),
    // tcp-log adds 20: on its own 100/120, a miss.
    pluginPair('tcp-log', [triple(130, 100, 110)]),
    // Cache hits cost less than the no-plugin gateway proxying to the upstream.
    pluginPair('proxy-cache', [triple(80, 100, 110)]),
    { name: 'redis_vs_local', numerator: 'gateway-key-auth-rate-limiting-redis' as const, denominator: 'gateway-key-auth-rate-limiting' as const, rounds: [{ numerator: cpuRun(125), denominator: cpuRun(110) }] },
  ] as BenchResults['sideBySide'];
  const nodes: Runs = {
    ...throughput,
    'gateway-key-auth-rate-limiting-3-nodes': [run(9_000), run(7_000), run(10_000)],
  };
  const measured = results({ sideBySide, throughput: nodes, tcpLog: { linesReceived: 990, connections: 2, responses: 1000 } });
  const figures = computeFigures(measured);
  const target = (start: string) => figures.targets.find((t) => t.name.startsWith(start))!;

  it("gives each plugin's own cost against no plugins, higher is better, from the rounds where all three ran together", () => {
    const acl = figures.sideBySide.find((p) => p.name === 'acl_vs_none')!;
    expect(acl.cpu?.median).toBeCloseTo(100 / 112, 10);
    expect(acl.pluginCpu?.median).toBeCloseTo(100 / 102, 10);
    expect(target('acl on its own')).toMatchObject({ target: '≥ 0.95', met: true, source: 'side by side, CPU per request' });
    expect(target('tcp-log on its own').value).toBeCloseTo(100 / 120, 10);
    expect(target('tcp-log on its own').met).toBe(false);
  });

  it('holds proxy-cache hits to being cheaper than no plugin at all, the whole configuration', () => {
    expect(target('key-auth + rate-limiting + proxy-cache hits')).toMatchObject({ target: '> 1', met: true });
    expect(target('key-auth + rate-limiting + proxy-cache hits').value).toBeCloseTo(100 / 80, 10);
  });

  it('compares policy redis with local as the other pairs, against 0.85', () => {
    const redis = target('rate-limiting policy redis vs local');
    expect(redis.value).toBeCloseTo(110 / 125, 10);
    expect(redis).toMatchObject({ target: '≥ 0.85', met: true });
  });

  it('says why a plugin or the redis policy was not measured instead of inventing a figure', () => {
    const reason = 'redis-server is not available: /usr/bin/redis-server not found (install: apt-get install -y redis-server)';
    const missing = results({ unavailable: { 'gateway-key-auth-rate-limiting-redis': reason } });
    const redis = computeFigures(missing).targets.find((t) => t.name.startsWith('rate-limiting policy redis'))!;
    expect(redis).toMatchObject({ value: null, met: null });
    expect(redis.reason).toContain('/usr/bin/redis-server not found');
    const json = resultsToJson(missing) as { side_by_side: Record<string, unknown>; unavailable: Record<string, string>; targets: { name: string; reason?: string }[] };
    expect(json.side_by_side.redis_vs_local).toMatchObject({ available: false, numerator: 'gateway-key-auth-rate-limiting-redis', denominator: 'gateway-key-auth-rate-limiting' });
    expect(json.unavailable['gateway-key-auth-rate-limiting-redis']).toBe(reason);
    expect(json.targets.find((t) => t.name.startsWith('rate-limiting policy redis'))?.reason).toContain('not found');
    const text = formatReport(missing);
    expect(text).toContain(`gateway, key-auth + rate-limiting (policy redis): unavailable — ${reason}`);
    expect(text).toMatch(/rate-limiting policy redis vs local: n\/a \(target ≥ 0\.85\) — not measured \(.*not found/);
    expect(figures.targets.every((t) => t.reason === undefined)).toBe(true);
  });

  it('writes every pair to the JSON under side_by_side, one orientation', () => {
    const json = resultsToJson(measured) as { side_by_side: Record<string, Record<string, unknown>>; tcp_log: unknown; ratios: Record<string, number | null> };
    expect(json.side_by_side.acl_vs_none).toMatchObject({
      available: true,
      numerator: 'gateway-key-auth-rate-limiting+acl',
      denominator: 'gateway-none',
      alongside: 'gateway-key-auth-rate-limiting',
      cpu_ratio: { median: Number((100 / 112).toFixed(4)), rounds: 3 },
      plugin_cpu_ratio: { median: Number((100 / 102).toFixed(4)), rounds: 3 },
    });
    expect(json.side_by_side.proxy_cache_vs_none).toMatchObject({ cpu_ratio: { median: 1.25 } });
    expect(json.side_by_side.redis_vs_local).toMatchObject({ available: true, cpu_ratio: { median: Number((110 / 125).toFixed(4)) } });
    expect(json.side_by_side.redis_vs_local).not.toHaveProperty('plugin_cpu_ratio');
    expect(json.tcp_log).toEqual({ lines_received: 990, connections: 2, responses: 1000 });
    // Round by round 9,000/11,400, 7,000/8,700, 10,000/12,400: the median is the second.
    expect(json.ratios.nodes_vs_one).toBeCloseTo(7_000 / 8_700, 4);
  });

  it("prints 3 nodes against one and says on 2 cores that is mostly the balancer's cost", () => {
    const text = formatReport(measured);
    expect(text).toMatch(/3 nodes behind the TCP balancer \/ 1 node\s+0\.80  \[0\.79–0\.81, 3 rounds\]/);
    expect(text).toMatch(/on 2 cores this mostly shows the balancer's cost/);
    expect(text).toMatch(/the added plugin on its own \(see below\)\s+0\.98/);
    expect(text).toContain('tcp-log: the sink received 990 lines over 2 connections for 1,000 responses');
  });
});

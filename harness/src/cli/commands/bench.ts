// `npm run bench`: the command line of the bench (harness/src/bench/ does the measuring; see the README's
// Performance section). Figures go to stdout, progress to stderr.

import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { SECTION_NAMES } from '../../bench/configurations.js';
import type { BenchOptions } from '../../bench/options.js';
import { DEFAULT_OPTIONS, QUICK_OPTIONS } from '../../bench/options.js';
import { CommandError, UsageError } from '../../errors/command-error.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from '../exit-codes.js';
import type { CommandIo } from '../output.js';
import { defineCommand } from './command.js';

const USAGE = `Usage: npm run bench [-- options]
  --quick              short run (3 rounds × 2 s per configuration)
  --json FILE          also write the results as JSON (ratios.gateway_vs_nginx, …)
  --rounds N           rounds of the A B A B alternation, and of each side-by-side pair
                       (default ${DEFAULT_OPTIONS.rounds})
  --duration SECONDS   saturating load per configuration (or pair) per round (default ${DEFAULT_OPTIONS.durationSeconds})
  --warmup SECONDS     unrecorded load per configuration before the first round
                       (default ${DEFAULT_OPTIONS.warmupSeconds})
  --connections N      load connections (default ${DEFAULT_OPTIONS.connections})
  --rate N             requests/s of the fixed-rate latency runs (default ${DEFAULT_OPTIONS.fixedRate})
  --pair-rate N        requests/s each server gets in the pairs that measure a plugin's
                       cost side by side at a fixed rate (default ${DEFAULT_OPTIONS.pairRate})
  --profile DIR        run the gateways and the minimal proxies under --cpu-prof; profiles
                       go to DIR, summaries to the report
  --no-labs            skip timing \`npm run labs\`
  --only SECTION[,…]   run only these sections: startup (how fast npm run status,
                       reset, lab 3 answer), plugins (each added plugin next to
                       key-auth + rate-limiting, against no plugins), redis
                       (rate-limiting policy redis beside local), nodes (1 node vs 3
                       behind the TCP balancer)
  --no-priority        do not raise the priority of servers and load (by default, as
                       root: nice -10)
  --load wrk|autocannon|auto, --upstream nginx|embedded|auto
                       force a load generator or upstream
  -h, --help           this help`;

const BENCH_OPTIONS = {
  quick: { type: 'boolean', default: false },
  json: { type: 'string' },
  rounds: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  rate: { type: 'string' },
  'pair-rate': { type: 'string' },
  profile: { type: 'string' },
  'no-labs': { type: 'boolean', default: false },
  only: { type: 'string' },
  'no-priority': { type: 'boolean', default: false },
  load: { type: 'string' },
  upstream: { type: 'string' },
} as const;

type BenchValues = { [K in keyof typeof BENCH_OPTIONS]?: (typeof BENCH_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function positiveNumber(flag: string, value: string, integer: boolean): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${flag} needs a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(value)}`);
  }
  return number;
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** The parsed command line as the bench's options: --quick's shorter defaults, explicit values over them. */
export function readBenchOptions(values: BenchValues): BenchOptions {
  const explicit: Partial<BenchOptions> = {};
  if (values.json !== undefined) explicit.jsonFile = values.json;
  if (values.rounds !== undefined) explicit.rounds = positiveNumber('rounds', values.rounds, true);
  if (values.duration !== undefined) explicit.durationSeconds = positiveNumber('duration', values.duration, false);
  if (values.warmup !== undefined) explicit.warmupSeconds = positiveNumber('warmup', values.warmup, false);
  if (values.connections !== undefined) explicit.connections = positiveNumber('connections', values.connections, true);
  if (values.rate !== undefined) explicit.fixedRate = positiveNumber('rate', values.rate, true);
  if (values['pair-rate'] !== undefined) explicit.pairRate = positiveNumber('pair-rate', values['pair-rate'], true);
  if (values.profile !== undefined) explicit.profileDir = values.profile;
  if (values['no-labs']) explicit.labs = false;
  if (values.only !== undefined) {
    const sections = values.only.split(',').filter((name) => name !== '');
    if (sections.length === 0) throw new UsageError(`--only needs one or more of ${SECTION_NAMES.join(', ')}`);
    explicit.only = [...new Set(sections.map((name) => choice('only', name, SECTION_NAMES)))];
  }
  if (values['no-priority']) explicit.priority = false;
  if (values.load !== undefined) explicit.load = choice('load', values.load, ['auto', 'wrk', 'autocannon'] as const);
  if (values.upstream !== undefined) explicit.upstream = choice('upstream', values.upstream, ['auto', 'nginx', 'embedded'] as const);
  const quick = values.quick ?? false;
  return { ...DEFAULT_OPTIONS, ...(quick ? QUICK_OPTIONS : {}), ...explicit, quick };
}

export const benchCommand = defineCommand({
  name: 'bench',
  usage: USAGE,
  options: BENCH_OPTIONS,
  run: ({ values, argv }, io) => bench(readBenchOptions(values), argv, io),
  exitWhenDone: true,
});

/** After Ctrl-C, how long the bench may take to stop what it started before it exits anyway. */
const INTERRUPT_BOUND_MS = 15_000;

async function bench(options: BenchOptions, argv: string[], io: CommandIo): Promise<number> {
  // Loaded here: --help and a usage error need none of the bench.
  const bench = await import('../../bench/index.js');
  const interruption = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr.write(`\nbench: ${signal}, stopping every process it started…\n`);
    interruption.abort();
    void bench.stopAllChildren().finally(() => {
      setTimeout(() => process.exit(128 + constants.signals[signal as keyof typeof constants.signals]), INTERRUPT_BOUND_MS).unref();
    });
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, onSignal);
  const progress = (message: string) => void io.stderr.write(`[bench] ${message}\n`);
  try {
    if (options.only?.length === 1 && options.only[0] === 'startup') {
      const startup = await bench.timeStartup(progress, interruption.signal);
      io.stdout.write(`\n${bench.formatStartupTiming(startup)}\n`);
      if (options.jsonFile !== null) writeFileSync(options.jsonFile, `${JSON.stringify({ startup: bench.startupTimingJson(startup) }, null, 2)}\n`);
      return startup.available ? EXIT_OK : EXIT_FAILED;
    }
    const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
    const results = await bench.runBench(options, command, progress, interruption.signal);
    const figures = bench.computeFigures(results);
    io.stdout.write(`\n${bench.formatReport(results, figures)}\n`);
    if (options.jsonFile !== null) {
      writeFileSync(options.jsonFile, `${JSON.stringify(bench.resultsToJson(results, figures), null, 2)}\n`);
      progress(`results written to ${options.jsonFile}`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof bench.BenchInterruptedError) throw new CommandError(`bench: ${error.message}`, EXIT_INTERRUPTED);
    if (error instanceof bench.BenchSetupError) throw new CommandError(`bench: ${error.message}`);
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

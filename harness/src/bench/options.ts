// `npm run bench -- …` arguments.

import { SECTION_NAMES, type Section } from './configurations.js';
import { BenchUsageError } from './errors.js';

export interface BenchOptions {
  quick: boolean;
  /** Write the results as JSON here. */
  jsonFile: string | null;
  rounds: number;
  /** Seconds of saturating load per configuration per round. */
  durationSeconds: number;
  /** Seconds of load per configuration before the first round (JIT, connection pools), not recorded. */
  warmupSeconds: number;
  connections: number;
  /** Requests per second of the fixed-rate latency runs. */
  fixedRate: number;
  fixedRateSeconds: number;
  /** Write V8 CPU profiles of the gateways and the minimal proxies here and summarise them. */
  profileDir: string | null;
  labs: boolean;
  /**
   * Run only these sections: `startup` (how fast commands answer), `plugins`, `redis`, `nodes` (their
   * load runs, beside the configurations they are compared with). null: everything.
   */
  only: Section[] | null;
  /** Run servers and load at nice -10 (root only), so neighbours on a shared machine disturb less. */
  priority: boolean;
  load: 'auto' | 'wrk' | 'autocannon';
  upstream: 'auto' | 'nginx' | 'embedded';
  help: boolean;
}

export const DEFAULT_OPTIONS: Readonly<BenchOptions> = {
  quick: false,
  jsonFile: null,
  rounds: 5,
  durationSeconds: 8,
  warmupSeconds: 4,
  connections: 50,
  fixedRate: 2000,
  fixedRateSeconds: 5,
  profileDir: null,
  labs: true,
  only: null,
  priority: true,
  load: 'auto',
  upstream: 'auto',
  help: false,
};

/** --quick: a few seconds per configuration; the figures are rougher, the ratios still paired. */
const QUICK: Partial<BenchOptions> = { rounds: 3, durationSeconds: 2, warmupSeconds: 1, fixedRateSeconds: 2 };

export const USAGE = `Usage: npm run bench [-- options]
  --quick              short run (3 rounds × 2 s per configuration)
  --json FILE          also write the results as JSON (ratios.gateway_vs_nginx, …)
  --rounds N           rounds of the A B A B alternation, and of each side-by-side pair (default ${DEFAULT_OPTIONS.rounds})
  --duration SECONDS   saturating load per configuration (or pair) per round (default ${DEFAULT_OPTIONS.durationSeconds})
  --warmup SECONDS     unrecorded load per configuration before the first round (default ${DEFAULT_OPTIONS.warmupSeconds})
  --connections N      load connections (default ${DEFAULT_OPTIONS.connections})
  --rate N             requests/s of the fixed-rate latency runs (default ${DEFAULT_OPTIONS.fixedRate})
  --profile DIR        run the gateways and the minimal proxies under --cpu-prof; profiles go to DIR, summaries to the report
  --no-labs            skip timing \`npm run labs\`
  --only SECTION[,…]   run only these sections: startup (how fast npm run status, reset, lab 3 answer),
                       plugins (each added plugin next to key-auth + rate-limiting, against no plugins),
                       redis (rate-limiting policy redis beside local), nodes (1 node vs 3 behind the TCP balancer)
  --no-priority        do not raise the priority of servers and load (by default, as root: nice -10)
  --load wrk|autocannon|auto, --upstream nginx|embedded|auto   force a load generator or upstream
  -h, --help           this help`;

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number {
  const number = Number(value);
  if (value === undefined || !Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new BenchUsageError(`${flag} needs a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(value ?? '')}`);
  }
  return number;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw new BenchUsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value ?? '')}`);
  }
  return value as T;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const explicit: Partial<BenchOptions> = {};
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--json': {
        const file = value();
        if (!file) throw new BenchUsageError('--json needs a file name');
        explicit.jsonFile = file;
        break;
      }
      case '--rounds':
        explicit.rounds = positiveNumber(flag, value(), true);
        break;
      case '--duration':
        explicit.durationSeconds = positiveNumber(flag, value(), false);
        break;
      case '--warmup':
        explicit.warmupSeconds = positiveNumber(flag, value(), false);
        break;
      case '--connections':
        explicit.connections = positiveNumber(flag, value(), true);
        break;
      case '--rate':
        explicit.fixedRate = positiveNumber(flag, value(), true);
        break;
      case '--profile': {
        const dir = value();
        if (!dir) throw new BenchUsageError('--profile needs a directory');
        explicit.profileDir = dir;
        break;
      }
      case '--no-labs':
        explicit.labs = false;
        break;
      case '--only': {
        const sections = (value() ?? '').split(',').filter((name) => name !== '');
        if (sections.length === 0) throw new BenchUsageError(`--only needs one or more of ${SECTION_NAMES.join(', ')}`);
        explicit.only = [...new Set(sections.map((name) => choice(flag, name, SECTION_NAMES)))];
        break;
      }
      case '--no-priority':
        explicit.priority = false;
        break;
      case '--load':
        explicit.load = choice(flag, value(), ['auto', 'wrk', 'autocannon'] as const);
        break;
      case '--upstream':
        explicit.upstream = choice(flag, value(), ['auto', 'nginx', 'embedded'] as const);
        break;
      case '--help':
      case '-h':
        explicit.help = true;
        break;
      default:
        throw new BenchUsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { ...DEFAULT_OPTIONS, ...(quick ? QUICK : {}), ...explicit, quick };
}

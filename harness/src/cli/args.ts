// Command-line options of `npm run lab` and `npm run labs` (node:util parseArgs).

import { parseArgs } from 'node:util';
import type { UpstreamChoice } from '../env/index.js';
import type { RuntimeRequest } from '../env/runtime-choice.js';
import { readRuntimeFlags, RUNTIME_USAGE_LINES } from './runtime-options.js';

export interface CommandOptions {
  /** `npm run lab` only: the lab number or slug. */
  selector: string | null;
  keep: boolean;
  /** Pause before each request until Enter is pressed. */
  step: boolean;
  /** Print only the curl commands to try by hand. */
  curl: boolean;
  runtime: RuntimeRequest;
  proxyUrl: string | null;
  adminUrl: string | null;
  upstream: UpstreamChoice;
  junit: string | null;
  json: boolean;
  help: boolean;
}

/** Wrong command line: the message says what to type instead. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usage(command: 'lab' | 'labs'): string {
  const common = [
    ...RUNTIME_USAGE_LINES,
    '  --junit FILE               also write JUnit XML to FILE',
    '  --json                     print the machine-readable result on stdout (the rest goes to stderr)',
    '  -h, --help                 this help',
  ];
  if (command === 'lab') {
    return [
      'Usage: npm run lab <number|slug> [-- options]',
      '  e.g. npm run lab 3    npm run lab consumer1 -- --keep',
      '',
      'Starts a fresh environment, syncs the lab\'s key-auth.yaml and walks through its checks.',
      '',
      '  --keep                     leave the environment up afterwards, print its URLs and curl commands; Ctrl-C ends it',
      '  --step                     pause before each request (Enter sends it)',
      '  --curl                     print only the lab\'s curl commands to try by hand (starts nothing)',
      ...common,
    ].join('\n');
  }
  return ['Usage: npm run labs [-- options]', '', 'Runs every lab, in order, on one environment.', '', ...common].join('\n');
}

export function parseCommandArgs(argv: string[], command: 'lab' | 'labs'): CommandOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        keep: { type: 'boolean', default: false },
        step: { type: 'boolean', default: false },
        curl: { type: 'boolean', default: false },
        runtime: { type: 'string', default: 'auto' },
        'proxy-url': { type: 'string' },
        'admin-url': { type: 'string' },
        upstream: { type: 'string', default: 'auto' },
        junit: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage(command)}`);
  }
  const { values, positionals } = parsed;
  const options: CommandOptions = {
    selector: positionals[0] ?? null,
    keep: values.keep ?? false,
    step: values.step ?? false,
    curl: values.curl ?? false,
    runtime: values.runtime as CommandOptions['runtime'],
    proxyUrl: values['proxy-url'] ?? null,
    adminUrl: values['admin-url'] ?? null,
    upstream: values.upstream as UpstreamChoice,
    junit: values.junit ?? null,
    json: values.json ?? false,
    help: values.help ?? false,
  };
  if (options.help) return options;

  if (command === 'lab') {
    if (positionals.length !== 1) throw new UsageError(`Give exactly one lab, by number or slug.\n\n${usage(command)}`);
  } else {
    if (positionals.length > 0) throw new UsageError(`npm run labs runs every lab; for one lab use: npm run lab ${positionals[0]}`);
    if (options.keep) throw new UsageError('--keep is for one lab: npm run lab <number> -- --keep');
    if (options.step || options.curl) throw new UsageError('--step and --curl are for one lab: npm run lab <number> -- --step');
  }
  return { ...options, ...readRuntimeFlags(values, (message) => new UsageError(message)) };
}

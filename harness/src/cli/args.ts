// Command-line options of `npm run lab` and `npm run labs`: their parseArgs declarations, usage and checks
// (commands/lab.ts and commands/labs.ts declare the commands).

import { UsageError } from '../errors/command-error.js';
import { readRuntimeFlags, RUNTIME_ARG_OPTIONS, RUNTIME_USAGE_LINES, type RuntimeFlags } from '../env/runtime-options.js';

export interface CommandOptions extends RuntimeFlags {
  /** `npm run lab` only: the lab number or slug. */
  selector: string | null;
  keep: boolean;
  /** Pause before each request until Enter is pressed. */
  step: boolean;
  /** Print only the curl commands to try by hand. */
  curl: boolean;
  junit: string | null;
  json: boolean;
  /** Every check in full, passed ones too. */
  verbose: boolean;
  /** `npm run labs`: run on the class environment of `npm run up` instead of a fresh one. */
  useClass: boolean;
}

export { UsageError };

export function usage(command: 'lab' | 'labs'): string {
  const common = [
    ...RUNTIME_USAGE_LINES,
    '  --junit FILE               also write JUnit XML to FILE (its folders are created)',
    '  --json                     the machine-readable result on stdout (the rest goes to',
    "                             stderr); add npm's --silent to keep its banner off stdout:",
    `                             npm run --silent ${command} -- --json > result.json`,
    '  --verbose                  every check in full: the curl command, the answer, each',
    '                             expectation and its file:line',
    '  -h, --help                 this help',
  ];
  if (command === 'lab') {
    return [
      'Usage: npm run lab <number|slug> [-- options]',
      '  e.g. npm run lab 3    npm run lab consumer1 -- --keep',
      '',
      "Starts a fresh environment, syncs the lab's key-auth.yaml and walks through its checks.",
      '',
      '  --keep                     leave the environment up afterwards, with its URLs and curl',
      '                             commands; Ctrl-C ends it',
      '  --step                     pause before each request (Enter sends it)',
      "  --curl                     print only the lab's curl commands to try by hand",
      '                             (starts nothing)',
      ...common,
    ].join('\n');
  }
  return [
    'Usage: npm run labs [-- options]',
    '',
    'Runs every lab, in order, on a fresh environment of its own (a class environment of',
    'npm run up is left alone).',
    '',
    '  --use-class                run on the environment of npm run up instead (it is left at',
    '                             the last lab)',
    ...common,
  ].join('\n');
}

/** The util.parseArgs declarations of npm run lab and npm run labs (-h/--help: the command framework's). */
export const LAB_ARG_OPTIONS = {
  keep: { type: 'boolean', default: false },
  step: { type: 'boolean', default: false },
  curl: { type: 'boolean', default: false },
  runtime: { type: 'string', default: 'auto' },
  ...RUNTIME_ARG_OPTIONS,
  junit: { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'use-class': { type: 'boolean', default: false },
} as const;

type LabArgValues = {
  [K in keyof typeof LAB_ARG_OPTIONS]?: (typeof LAB_ARG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** The parsed command line of lab or labs, checked: which flags go together, and which go with which command. */
export function readCommandOptions(command: 'lab' | 'labs', values: LabArgValues, positionals: string[]): CommandOptions {
  const options: Omit<CommandOptions, keyof RuntimeFlags> = {
    selector: positionals[0] ?? null,
    keep: values.keep ?? false,
    step: values.step ?? false,
    curl: values.curl ?? false,
    junit: values.junit ?? null,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    useClass: values['use-class'] ?? false,
  };
  if (command === 'lab') {
    if (positionals.length !== 1) throw new UsageError(`Give exactly one lab, by number or slug.\n\n${usage(command)}`);
    if (options.useClass) throw new UsageError('--use-class is for npm run labs; npm run lab N already uses the environment of npm run up when one runs');
  } else {
    if (options.keep) throw new UsageError('--keep is for one lab: npm run lab <number> -- --keep');
    if (options.step || options.curl) throw new UsageError('--step and --curl are for one lab: npm run lab <number> -- --step');
  }
  if (options.step && options.json) throw new UsageError('--step asks on the terminal, and --json keeps stdout for the JSON: give one of them');
  return { ...options, ...readRuntimeFlags(values, (message) => new UsageError(message)) };
}

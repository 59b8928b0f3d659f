// Command-line options of `npm run verify-docs` (node:util parseArgs). The runtime flags mean what they mean
// for `npm run lab`; wrong combinations are usage errors (exit 2) before anything starts.

import { parseArgs } from 'node:util';
import type { UpstreamChoice } from '../env/index.js';
import type { RuntimeRequest } from '../env/runtime-choice.js';
import { SHELL_CHOICES, type ShellRequest } from './bash-shell.js';
import { readRuntimeFlags, RUNTIME_ARG_OPTIONS, RUNTIME_USAGE_LINES, UPSTREAM_CHOICES } from '../env/runtime-options.js';
import { LabkitError } from '../errors/labkit-error.js';

export { UPSTREAM_CHOICES };

export const VERIFY_DOCS_USAGE = [
  'usage: npm run verify-docs [-- FILES|FOLDERS…] [options]',
  'A folder is a chapter (its .md pages in Hugo weight order; each sub-folder a chapter of its own), and pages',
  'named one after another are one chapter: its pages run on one gateway, each continuing from the last.',
  'Without any, verifies every chapter in content/.',
  '',
  ...RUNTIME_USAGE_LINES,
  '  --shell auto|bash|builtin  run the commands in bash with real curl and the kit\'s deck, or on the built-in',
  '                             emulation; auto (default): bash where bash and curl are on PATH',
  '  --isolate                  empty the gateway before every page, not only before each chapter',
  '  --update                   rewrite each drifted output block with what came back (keeps masked values)',
  '  --junit FILE               also write JUnit XML to FILE (its folders are created)',
  '  --expected-failures FILE   known drifts (default harness/docs-expected-failures.yaml)',
  '  -v, --verbose              every step, what the environment does, and what came back for a drift',
  '  -h, --help                 this help',
].join('\n');

export interface VerifyDocsArgs {
  /** Files and folders as given; empty: every page in content/. */
  paths: string[];
  runtime: RuntimeRequest;
  /** external only. */
  proxyUrl: string | null;
  adminUrl: string | null;
  upstream: UpstreamChoice;
  /** Gateway nodes behind the per-connection balancer (local runtime). */
  nodes: number;
  redis: boolean;
  junit: string | null;
  expectedFailures: string | null;
  verbose: boolean;
  isolate: boolean;
  shell: ShellRequest;
  update: boolean;
  help: boolean;
}

/** Wrong command line: the message says what to type instead. */
export class VerifyDocsUsageError extends LabkitError {
  constructor(message: string) {
    super('USAGE', { problem: message });
    this.name = 'VerifyDocsUsageError';
  }
}

export function parseVerifyDocsArgs(argv: string[]): VerifyDocsArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        runtime: { type: 'string' },
        ...RUNTIME_ARG_OPTIONS,
        junit: { type: 'string' },
        'expected-failures': { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        isolate: { type: 'boolean', default: false },
        shell: { type: 'string', default: 'auto' },
        update: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new VerifyDocsUsageError(`${(error as Error).message}; see npm run verify-docs -- --help`);
  }
  const { values, positionals } = parsed;
  const args: VerifyDocsArgs = {
    paths: positionals,
    runtime: 'auto',
    proxyUrl: null,
    adminUrl: null,
    upstream: 'auto',
    nodes: 1,
    redis: false,
    junit: values.junit ?? null,
    expectedFailures: values['expected-failures'] ?? null,
    verbose: values.verbose ?? false,
    isolate: values.isolate ?? false,
    shell: (values.shell ?? 'auto') as ShellRequest,
    update: values.update ?? false,
    help: values.help ?? false,
  };
  if (args.help) return args;
  if (!(SHELL_CHOICES as readonly string[]).includes(args.shell)) {
    throw new VerifyDocsUsageError(`--shell ${args.shell}: choose one of ${SHELL_CHOICES.join(', ')}`);
  }

  return { ...args, ...readRuntimeFlags(values, (message) => new VerifyDocsUsageError(message)) };
}

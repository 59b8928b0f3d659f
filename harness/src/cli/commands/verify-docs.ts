// `npm run verify-docs [-- FILES|FOLDERS…]`: runs workshop pages as chapters (default: content/) on one
// environment, emptied before each chapter (or each page with --isolate), and compares every
// documented output with what comes back. Exit 0: no page failed (skipped pages say why); 1: drift;
// 2: the command itself was wrong (a bad option, a missing file, an unusable expected-failures file).

import {
  applyRewrites, CONTENT_DIR, DEFAULT_EXPECTED_FAILURES_FILE, formatDocsJsonReport, formatPageVerdict, formatSummary, junitXml, loadExpectedFailures, 
  planChapters, REPO_ROOT, SHELL_CHOICES, verifyDocs, type BlockRewrite, type ShellRequest,
} from '../../docs/index.js';
import { writeJUnitFile } from '../../report/junit.js';
import { UsageError } from '../../errors/command-error.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { colorEnabled } from '../../terminal/color.js';
import { outputWidth } from '../../terminal/output-stream.js';
import type { CommandIo } from '../output.js';
import { readRuntimeFlags, RUNTIME_ARG_OPTIONS, RUNTIME_USAGE_LINES, type RuntimeFlags } from '../../env/runtime-options.js';
import { defineCommand } from './command.js';

export const VERIFY_DOCS_USAGE = [
  'Usage: npm run verify-docs [-- FILES|FOLDERS…] [options]',
  '',
  'A folder is a chapter (its .md pages in Hugo weight order; each sub-folder a chapter of',
  'its own), and pages named one after another are one chapter: its pages run on one',
  'gateway, each continuing from the last. Without any, verifies every chapter in content/.',
  '',
  ...RUNTIME_USAGE_LINES,
  '  --shell auto|bash|builtin  run the commands in bash with real curl and the kit\'s deck,',
  '                             or on the built-in emulation; auto (default): bash where',
  '                             bash and curl are on PATH',
  '  --isolate                  empty the gateway before every page, not only before each',
  '                             chapter',
  '  --update                   rewrite each drifted output block with what came back',
  '                             (keeps masked values)',
  '  --junit FILE               also write JUnit XML to FILE (its folders are created)',
  '  --json                     print the verdicts as JSON on stdout (the report goes to',
  '                             stderr): per block its status, drifts and errors',
  '  --expected-failures FILE   known drifts (default harness/docs-expected-failures.yaml)',
  '  -v, --verbose              every step, what the environment does, and what came back',
  '                             for a drift',
  '  -h, --help                 this help',
].join('\n');

export const VERIFY_DOCS_OPTIONS = {
  runtime: { type: 'string' },
  ...RUNTIME_ARG_OPTIONS,
  junit: { type: 'string' },
  json: { type: 'boolean', default: false },
  'expected-failures': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  isolate: { type: 'boolean', default: false },
  shell: { type: 'string', default: 'auto' },
  update: { type: 'boolean', default: false },
} as const;

export interface VerifyDocsArgs extends RuntimeFlags {
  /** Files and folders as given; empty: every page in content/. */
  paths: string[];
  junit: string | null;
  json: boolean;
  expectedFailures: string | null;
  verbose: boolean;
  isolate: boolean;
  shell: ShellRequest;
  update: boolean;
}

type VerifyDocsValues = {
  [K in keyof typeof VERIFY_DOCS_OPTIONS]?: (typeof VERIFY_DOCS_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** The parsed command line, checked (the runtime flags mean what they mean for npm run lab); throws UsageError. */
export function readVerifyDocsOptions(values: VerifyDocsValues, positionals: string[]): VerifyDocsArgs {
  const shell = (values.shell ?? 'auto') as ShellRequest;
  if (!(SHELL_CHOICES as readonly string[]).includes(shell)) throw new UsageError(`--shell ${shell}: choose one of ${SHELL_CHOICES.join(', ')}`);
  return {
    paths: positionals,
    junit: values.junit ?? null,
    json: values.json ?? false,
    expectedFailures: values['expected-failures'] ?? null,
    verbose: values.verbose ?? false,
    isolate: values.isolate ?? false,
    shell,
    update: values.update ?? false,
    ...readRuntimeFlags(values, (message) => new UsageError(message)),
  };
}

export const verifyDocsCommand = defineCommand({
  name: 'verify-docs',
  usage: VERIFY_DOCS_USAGE,
  options: VERIFY_DOCS_OPTIONS,
  maxPositionals: Infinity,
  run: ({ values, positionals }, io) => verify(readVerifyDocsOptions(values, positionals), io),
});

async function verify(args: VerifyDocsArgs, io: CommandIo): Promise<number> {
  // A missing path, a broken expected-failures file or no shell are LabkitErrors of exit 2: the
  // framework renders them with their location, and nothing has run.
  const chapters = planChapters(args.paths.length > 0 ? args.paths : [CONTENT_DIR]);
  if (chapters.every((chapter) => chapter.pages.length === 0)) throw new UsageError('no pages to verify (content/ has no .md files and none were named)');
  const expectedFailures = loadExpectedFailures(args.expectedFailures ?? DEFAULT_EXPECTED_FAILURES_FILE, REPO_ROOT);

  // Drifts are not folded (each is a `file:line: message` record that editors and CI logs link); a page's
  // error is rendered as every error is, folded to the terminal.
  // --json owns stdout: the report for people goes to stderr then.
  const people = args.json ? io.stderr : io.stdout;
  const out = { color: colorEnabled(people, io.env), width: outputWidth(people, io.env), say: (text: string) => void people.write(`${text}\n`) };
  const verdicts = await verifyDocs(chapters, {
    expectedFailures,
    isolate: args.isolate,
    shell: args.shell,
    runtime: args.runtime,
    proxyUrl: args.proxyUrl,
    adminUrl: args.adminUrl,
    upstream: args.upstream,
    nodes: args.nodes,
    redis: args.redis,
    // Which runtime and shell, and why, is always said (on stderr, as progress); the rest with --verbose.
    onProgress: (message) => {
      if (args.verbose || message.startsWith('runtime: ') || message.startsWith('shell: ')) io.stderr.write(`  ${message}\n`);
    },
    onPage: (verdict) => out.say(formatPageVerdict(verdict, { color: out.color, verbose: args.verbose, width: out.width })),
  });
  out.say(formatSummary(verdicts));
  if (args.junit) {
    writeJUnitFile(args.junit, junitXml(verdicts));
    out.say(`JUnit report: ${args.junit}`);
  }
  if (args.json) io.stdout.write(formatDocsJsonReport(verdicts));
  if (args.update) {
    for (const verdict of verdicts) {
      const rewrites = verdict.steps.flatMap((step): BlockRewrite[] => (step.rewrite && step.drifts.some((drift) => !drift.expectedBecause) ? [step.rewrite] : []));
      if (verdict.path && rewrites.length > 0) out.say(`updated ${verdict.file}: ${applyRewrites(verdict.path, rewrites)} block${rewrites.length === 1 ? '' : 's'} rewritten with what came back`);
    }
  }
  return verdicts.some((verdict) => verdict.status === 'failed') ? EXIT_FAILED : EXIT_OK;
}

// npm run verify-docs [-- FILES|FOLDERS…] [--runtime auto|local|containers|external [--proxy-url URL --admin-url URL]]
//   [--junit FILE] [--expected-failures FILE] [--upstream auto|debian-httpbin|embedded-httpbin] [--shell auto|bash|builtin] [--isolate] [--update] [--verbose]
// Runs workshop pages as chapters (default: content/) on one environment, emptied before each chapter (or each
// page with --isolate), and compares every documented output with what comes back. Exit code 0: no page failed
// (skipped pages say why); 1: drift; 2: the command itself was wrong (a bad option, a missing file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CONTENT_DIR, DEFAULT_EXPECTED_FAILURES_FILE, MissingPathError, REPO_ROOT, ShellUnavailableError, VERIFY_DOCS_USAGE, VerifyDocsUsageError, applyRewrites, formatPageVerdict,
  formatSummary, junitXml, loadExpectedFailures, parseVerifyDocsArgs, planChapters, verifyDocs, type BlockRewrite,
} from '../harness/src/docs/index.js';
import { colorEnabled } from '../harness/src/terminal/color.js';
import { printError } from '../harness/src/cli/commands/command.js';
import { processIo } from '../harness/src/cli/output.js';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseVerifyDocsArgs(argv);
  } catch (error) {
    if (!(error instanceof VerifyDocsUsageError)) throw error;
    return printError(processIo(), 'verify-docs', error);
  }
  if (args.help) {
    console.log(VERIFY_DOCS_USAGE);
    return 0;
  }
  let chapters;
  try {
    chapters = planChapters(args.paths.length > 0 ? args.paths : [CONTENT_DIR]);
  } catch (error) {
    if (!(error instanceof MissingPathError)) throw error;
    return printError(processIo(), 'verify-docs', error);
  }
  if (chapters.every((chapter) => chapter.pages.length === 0)) {
    console.error('verify-docs: no pages to verify (content/ has no .md files and none were named)');
    return 2;
  }
  const expectedFile = args.expectedFailures ?? DEFAULT_EXPECTED_FAILURES_FILE;
  let expectedFailures;
  try {
    expectedFailures = loadExpectedFailures(expectedFile, REPO_ROOT);
  } catch (error) {
    return printError(processIo(), 'verify-docs', error);
  }

  const color = colorEnabled(process.stdout);
  const verbose = args.verbose;
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
    // Which runtime, and why, is always said (openLabEnvironment's describeRuntimeChoice line); the rest with --verbose.
    onProgress: (message) => {
      if (verbose || message.startsWith('runtime: ') || message.startsWith('shell: ')) console.error(`  ${message}`);
    },
    onPage: (verdict) => console.log(formatPageVerdict(verdict, { color, verbose })),
  }).catch((error: Error) => error);
  if (verdicts instanceof ShellUnavailableError) return printError(processIo(), 'verify-docs', verdicts);
  if (verdicts instanceof Error) throw verdicts;
  console.log(formatSummary(verdicts));
  if (args.junit) {
    mkdirSync(dirname(args.junit), { recursive: true });
    writeFileSync(args.junit, junitXml(verdicts));
    console.log(`JUnit report: ${args.junit}`);
  }
  if (args.update) {
    for (const verdict of verdicts) {
      const rewrites = verdict.steps.flatMap((step): BlockRewrite[] => (step.rewrite && step.drifts.some((drift) => !drift.expectedBecause) ? [step.rewrite] : []));
      if (verdict.path && rewrites.length > 0) console.log(`updated ${verdict.file}: ${applyRewrites(verdict.path, rewrites)} block${rewrites.length === 1 ? '' : 's'} rewritten with what came back`);
    }
  }
  return verdicts.some((verdict) => verdict.status === 'failed') ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));

// npm run verify-docs [-- FILES|FOLDERS…] [--runtime auto|local|containers|external [--proxy-url URL --admin-url URL]]
//   [--junit FILE] [--expected-failures FILE] [--upstream auto|debian-httpbin|embedded-httpbin] [--verbose]
// Runs each workshop page (default: every page in content/) on one environment, emptied before each page, and
// compares every documented output with what comes back. Exit code 0: all pages match; 1: drift; 2: the command
// itself failed.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import {
  DEFAULT_EXPECTED_FAILURES_FILE, REPO_ROOT, VERIFY_DOCS_USAGE, VerifyDocsUsageError, findPages, formatPageVerdict, formatSummary, junitXml,
  loadExpectedFailures, parseVerifyDocsArgs, verifyDocs,
} from '../harness/src/docs/index.js';
import { colorEnabled } from '../harness/src/report/color.js';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseVerifyDocsArgs(argv);
  } catch (error) {
    if (!(error instanceof VerifyDocsUsageError)) throw error;
    console.error(`verify-docs: ${error.message}`);
    return 2;
  }
  if (args.help) {
    console.log(VERIFY_DOCS_USAGE);
    return 0;
  }
  // A folder stands for every .md page in it.
  const files = args.paths.length > 0
    ? args.paths.flatMap((path) => (existsSync(path) && statSync(path).isDirectory() ? findPages(path) : [path]))
    : findPages();
  if (files.length === 0) {
    console.error('verify-docs: no pages to verify (content/ has no .md files and none were named)');
    return 2;
  }
  const expectedFile = args.expectedFailures ?? DEFAULT_EXPECTED_FAILURES_FILE;
  let expectedFailures;
  try {
    expectedFailures = loadExpectedFailures(expectedFile, REPO_ROOT);
  } catch (error) {
    console.error(`verify-docs: ${(error as Error).message}`);
    return 2;
  }

  const color = colorEnabled(process.stdout);
  const verbose = args.verbose;
  const verdicts = await verifyDocs(files, {
    expectedFailures,
    runtime: args.runtime,
    proxyUrl: args.proxyUrl,
    adminUrl: args.adminUrl,
    upstream: args.upstream,
    // Which runtime, and why, is always said (openLabEnvironment's describeRuntimeChoice line); the rest with --verbose.
    onProgress: (message) => {
      if (verbose || message.startsWith('runtime: ')) console.error(`  ${message}`);
    },
    onPage: (verdict) => console.log(formatPageVerdict(verdict, { color, verbose })),
  });
  console.log(formatSummary(verdicts));
  if (args.junit) {
    writeFileSync(args.junit, junitXml(verdicts));
    console.log(`JUnit report: ${args.junit}`);
  }
  return verdicts.every((verdict) => verdict.passed) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

// npm run verify-docs [-- FILES|FOLDERS…] [--junit FILE] [--expected-failures FILE] [--upstream auto|debian-httpbin|embedded-httpbin] [--verbose]
// Runs each workshop page (default: every page in content/) on a fresh local environment and compares every
// documented output with what comes back. Exit code 0: all pages match; 1: drift; 2: the command itself failed.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EXPECTED_FAILURES_FILE, REPO_ROOT, findPages, formatPageVerdict, formatSummary, junitXml, loadExpectedFailures, verifyDocs,
} from '../harness/src/docs/index.js';
import { colorEnabled } from '../harness/src/report/color.js';

const UPSTREAMS = ['auto', 'debian-httpbin', 'embedded-httpbin'] as const;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        'expected-failures': { type: 'string' },
        upstream: { type: 'string', default: 'auto' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`verify-docs: ${(error as Error).message}; see npm run verify-docs -- --help`);
    return 2;
  }
  if (args.values.help) {
    console.log(
      'usage: npm run verify-docs [-- FILES|FOLDERS…] [--junit FILE] [--expected-failures FILE] [--upstream auto|debian-httpbin|embedded-httpbin] [--verbose]\n' +
        'A folder stands for its .md pages; without any, verifies every page in content/. Expected failures default to harness/docs-expected-failures.yaml.',
    );
    return 0;
  }
  const upstream = args.values.upstream as (typeof UPSTREAMS)[number];
  if (!UPSTREAMS.includes(upstream)) {
    console.error(`verify-docs: --upstream ${upstream} is not one of ${UPSTREAMS.join(', ')}`);
    return 2;
  }
  // A folder stands for every .md page in it.
  const files = args.positionals.length > 0
    ? args.positionals.flatMap((path) => (existsSync(path) && statSync(path).isDirectory() ? findPages(path) : [path]))
    : findPages();
  if (files.length === 0) {
    console.error('verify-docs: no pages to verify (content/ has no .md files and none were named)');
    return 2;
  }
  const expectedFile = args.values['expected-failures'] ?? DEFAULT_EXPECTED_FAILURES_FILE;
  let expectedFailures;
  try {
    expectedFailures = loadExpectedFailures(expectedFile, REPO_ROOT);
  } catch (error) {
    console.error(`verify-docs: ${(error as Error).message}`);
    return 2;
  }

  const color = colorEnabled(process.stdout);
  const verdicts = await verifyDocs(files, {
    expectedFailures,
    upstream,
    onProgress: args.values.verbose ? (message) => console.error(`  ${message}`) : undefined,
    onPage: (verdict) => console.log(formatPageVerdict(verdict, { color, verbose: args.values.verbose })),
  });
  console.log(formatSummary(verdicts));
  if (args.values.junit) {
    writeFileSync(args.values.junit, junitXml(verdicts));
    console.log(`JUnit report: ${args.values.junit}`);
  }
  return verdicts.every((verdict) => verdict.passed) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

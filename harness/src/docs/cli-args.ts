// Command-line options of `npm run verify-docs` (node:util parseArgs). The runtime flags mean what they mean
// for `npm run lab`; wrong combinations are usage errors (exit 2) before anything starts.

import { parseArgs } from 'node:util';
import type { UpstreamChoice } from '../env/index.js';
import { parseRuntimeRequest, RuntimeChoiceError, type RuntimeRequest } from '../env/runtime-choice.js';

export const UPSTREAM_CHOICES: readonly UpstreamChoice[] = ['auto', 'debian-httpbin', 'embedded-httpbin'];

export const VERIFY_DOCS_USAGE = [
  'usage: npm run verify-docs [-- FILES|FOLDERS…] [options]',
  'A folder stands for its .md pages; without any, verifies every page in content/.',
  '',
  '  --runtime auto|local|containers|external',
  '                             auto (default): containers when Docker answers a quick probe, else local;',
  '                             local: httpbin and the gateway as processes here; containers: both in Docker;',
  '                             external: use a running gateway (needs --proxy-url and --admin-url)',
  '  --proxy-url URL            the gateway proxy ($DATA_PLANE_LB on the page), with --runtime external',
  '  --admin-url URL            its Admin API, with --runtime external',
  '  --upstream auto|debian-httpbin|embedded-httpbin   which httpbin a local environment starts (default auto)',
  '  --junit FILE               also write JUnit XML to FILE',
  '  --expected-failures FILE   known drifts (default harness/docs-expected-failures.yaml)',
  '  -v, --verbose              every step and what the environment does',
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
  junit: string | null;
  expectedFailures: string | null;
  verbose: boolean;
  help: boolean;
}

/** Wrong command line: the message says what to type instead. */
export class VerifyDocsUsageError extends Error {
  constructor(message: string) {
    super(message);
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
        'proxy-url': { type: 'string' },
        'admin-url': { type: 'string' },
        upstream: { type: 'string', default: 'auto' },
        junit: { type: 'string' },
        'expected-failures': { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new VerifyDocsUsageError(`${(error as Error).message}; see npm run verify-docs -- --help`);
  }
  const { values, positionals } = parsed;
  let runtime: RuntimeRequest;
  try {
    runtime = parseRuntimeRequest(values.runtime);
  } catch (error) {
    if (error instanceof RuntimeChoiceError) throw new VerifyDocsUsageError(`--runtime: ${error.message}`);
    throw error;
  }
  const args: VerifyDocsArgs = {
    paths: positionals,
    runtime,
    proxyUrl: values['proxy-url'] ?? null,
    adminUrl: values['admin-url'] ?? null,
    upstream: values.upstream as UpstreamChoice,
    junit: values.junit ?? null,
    expectedFailures: values['expected-failures'] ?? null,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
  if (args.help) return args;

  if (!UPSTREAM_CHOICES.includes(args.upstream)) {
    throw new VerifyDocsUsageError(`--upstream ${args.upstream} is not one of ${UPSTREAM_CHOICES.join(', ')}`);
  }
  if (args.runtime === 'external') {
    if (!args.proxyUrl || !args.adminUrl) {
      throw new VerifyDocsUsageError('--runtime external needs both --proxy-url URL and --admin-url URL (the gateway you started yourself)');
    }
    for (const [flag, url] of [['--proxy-url', args.proxyUrl], ['--admin-url', args.adminUrl]] as const) {
      if (!isHttpUrl(url)) throw new VerifyDocsUsageError(`${flag} must be an http:// or https:// URL, e.g. http://localhost:8000`);
    }
  } else if (args.proxyUrl || args.adminUrl) {
    throw new VerifyDocsUsageError('--proxy-url and --admin-url go with --runtime external; a local or container environment picks its own ports');
  }
  return args;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

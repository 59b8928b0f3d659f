// Verifies pages, each from an empty gateway (configuration reset, rate-limit counters cleared), judged against
// the expected-failures list. One environment serves the whole run: restarting processes per page would
// triple the run time and change nothing a page can observe.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabEnvironment, UpstreamChoice } from '../env/index.js';
import { openLabEnvironment, type RuntimeRequest } from '../env/runtime-choice.js';
import { resetGateway } from '../sync/index.js';
import type { Clock } from '../runner/clock.js';
import { displayPath } from '../spec/index.js';
import { PageFormatError } from './errors.js';
import type { ExpectedFailure } from './expected-failures.js';
import { readPage } from './page-story.js';
import { verifyPage, type StepResult } from './run-page.js';
import { failedPage, judgePage, type PageVerdict } from './verdicts.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CONTENT_DIR = join(REPO_ROOT, 'content');
export const DEFAULT_EXPECTED_FAILURES_FILE = join(REPO_ROOT, 'harness', 'docs-expected-failures.yaml');

export interface VerifyDocsOptions {
  expectedFailures?: ExpectedFailure[];
  /** Where to run the pages. Default: an environment opened for the run (see `runtime`) and closed after it. */
  environment?: LabEnvironment;
  /**
   * Without `environment`: what openLabEnvironment opens, when the first page needs it. Default local, so that
   * library callers (the tests) never depend on Docker; the command passes the lab commands' default, auto.
   */
  runtime?: RuntimeRequest;
  /** With runtime external: the gateway someone else runs. */
  proxyUrl?: string | null;
  adminUrl?: string | null;
  upstream?: UpstreamChoice;
  clock?: Clock;
  onProgress?: (message: string) => void;
  onStep?: (file: string, result: StepResult) => void;
  onPage?: (verdict: PageVerdict) => void;
}

/** Every markdown page under `dir`, in path order. */
export function findPages(dir: string = CONTENT_DIR): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) pages.push(...findPages(path));
    else if (entry.endsWith('.md')) pages.push(path);
  }
  return pages;
}

export async function verifyDocs(files: string[], options: VerifyDocsOptions = {}): Promise<PageVerdict[]> {
  const verdicts: PageVerdict[] = [];
  let env: LabEnvironment | Error | undefined = options.environment;
  const environment = async (): Promise<LabEnvironment | Error> => {
    env ??= await openLabEnvironment({
      runtime: options.runtime ?? 'local',
      proxyUrl: options.proxyUrl,
      adminUrl: options.adminUrl,
      upstream: options.upstream,
      onProgress: options.onProgress,
    }).catch((error: Error) => error);
    return env;
  };
  try {
    for (const path of files) {
      const verdict = await verifyOnePage(path, environment, options);
      verdicts.push(verdict);
      options.onPage?.(verdict);
    }
  } finally {
    if (env && !(env instanceof Error) && env !== options.environment) await env.close();
  }
  return verdicts;
}

async function verifyOnePage(path: string, environment: () => Promise<LabEnvironment | Error>, options: VerifyDocsOptions): Promise<PageVerdict> {
  const shown = displayPath(path);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let page;
  try {
    page = readPage(path, shown);
  } catch (error) {
    if (error instanceof PageFormatError) return failedPage(shown, error.message, elapsed());
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return failedPage(shown, `${shown}: no such file`, elapsed());
    throw error;
  }
  if (page.steps.length === 0) return judgePage({ file: shown, steps: [], durationMs: elapsed() }, options.expectedFailures ?? []);
  const env = await environment();
  if (env instanceof Error) return failedPage(shown, `could not start an environment: ${env.message}`, elapsed());
  let counters;
  try {
    ({ counters } = await resetGateway({ adminUrl: env.adminUrl, resetCounters: true }));
  } catch (error) {
    return failedPage(shown, `could not empty the gateway before the page: ${(error as Error).message}`, elapsed());
  }
  const result = await verifyPage(page, env, {
    clock: options.clock,
    countersKept: counters !== 'cleared',
    onStep: (step) => options.onStep?.(shown, step),
  });
  return judgePage(result, options.expectedFailures ?? []);
}

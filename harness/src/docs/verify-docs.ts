// Verifies chapters of pages, judged against the expected-failures list. Each chapter starts from an empty
// gateway (configuration reset, rate-limit counters cleared) and its pages carry the gateway's state on, as a
// reader's would; `isolate` empties it before every page. One environment serves the whole run: restarting
// processes per page would triple the run time and change nothing a page can observe.

import { readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEnvironment, UpstreamChoice } from '../env/index.js';
import { openLabEnvironment, type RuntimeRequest } from '../env/runtime-choice.js';
import { resetGateway } from '../sync/index.js';
import type { Clock } from '../runner/clock.js';
import { displayPath } from '../spec/index.js';
import { chooseShell, openBashSession, retargetBashSession, type BashSession, type ShellRequest } from './bash-shell.js';
import type { Chapter } from './chapters.js';
import { PageFormatError } from './errors.js';
import { errorRecord, LabkitError, recordOf } from '../errors/labkit-error.js';
import type { ExpectedFailure } from './expected-failures.js';
import { documentedWindows, readPage } from './page-story.js';
import { newScriptContext, type ScriptContext } from './shell-script.js';
import { verifyPage, type StepResult } from './run-page.js';
import { failedPage, judgePage, type PageVerdict } from './verdicts.js';
import { CONTENT_DIR, REPO_ROOT } from '../constants.js';

export { CONTENT_DIR, REPO_ROOT };
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
  /** Gateway nodes behind the per-connection balancer, and a Redis from the start. */
  nodes?: number;
  redis?: boolean;
  clock?: Clock;
  /** Empty the gateway before every page, not only before each chapter. */
  isolate?: boolean;
  onProgress?: (message: string) => void;
  onStep?: (file: string, result: StepResult) => void;
  onPage?: (verdict: PageVerdict) => void;
  /** How commands run: bash (real curl, the kit's bin/deck), the built-in emulation, or bash where bash and curl exist (default). */
  shell?: ShellRequest;
  /** The PATH commands run with, and where bash, curl and jq are looked for. Default: this process's. */
  path?: string;
  /** Per command, in bash. Default DEFAULT_COMMAND_TIMEOUT_MS. */
  commandTimeoutMs?: number;
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

/** `input`: chapters, or pages that form one chapter. */
export async function verifyDocs(input: string[] | Chapter[], options: VerifyDocsOptions = {}): Promise<PageVerdict[]> {
  const chapters: Chapter[] = input.length > 0 && typeof input[0] === 'string' ? [{ pages: input as string[] }] : (input as Chapter[]);
  const verdicts: PageVerdict[] = [];
  // Chosen before anything starts, so that `--shell bash` without bash fails at once (ShellUnavailableError).
  const shell = await chooseShell(options.shell ?? 'auto', options.path ?? process.env.PATH ?? '');
  options.onProgress?.(`shell: commands run in ${shell.description}`);
  let bash: (BashSession & { close: () => void }) | undefined;
  let env: LabEnvironment | Error | undefined = options.environment;
  const environment = async (): Promise<LabEnvironment | Error> => {
    env ??= await openLabEnvironment({
      runtime: options.runtime ?? 'local',
      proxyUrl: options.proxyUrl,
      adminUrl: options.adminUrl,
      upstream: options.upstream,
      nodes: options.nodes,
      redis: options.redis,
      onProgress: options.onProgress,
    }).catch((error: Error) => error);
    if (!(env instanceof Error) && shell.shell === 'bash') bash ??= openBashSession({ proxyUrl: env.proxyUrl, adminUrl: env.adminUrl, replicaAdminUrls: (env.nodes ?? []).slice(1).map((node) => node.adminUrl), path: shell.path, timeoutMs: options.commandTimeoutMs });
    return env;
  };
  try {
    for (const chapter of chapters) {
      const story: ChapterStory = { fresh: false, variables: newScriptContext(), exports: [], workDir: await mkdtemp(join(tmpdir(), 'verify-docs-')) };
      try {
        for (const path of chapter.pages) {
          if (options.isolate) {
            await emptyFolder(story.workDir);
            Object.assign(story, { fresh: false, lastWindow: undefined, variables: newScriptContext(), exports: [], notVerifiable: undefined });
          }
          const verdict = { ...(await verifyOnePage(path, environment, options, story, () => bash)), shell: shell.shell };
          verdicts.push(verdict);
          options.onPage?.(verdict);
        }
      } finally {
        await rm(story.workDir, { recursive: true, force: true });
      }
    }
  } finally {
    bash?.close();
    if (env && !(env instanceof Error) && env !== options.environment) await env.close();
  }
  return verdicts;
}

/** What a chapter's pages hand on to the next: an emptied gateway, the last documented window, the variables. */
interface ChapterStory {
  /** The gateway was emptied for this chapter (pages after that continue on its state). */
  fresh: boolean;
  lastWindow?: number;
  variables: ScriptContext;
  /** The same variables as bash `export` lines, for pages run in bash. */
  exports: string[];
  /** The reader's working directory: files written on one page are there for the next. */
  workDir: string;
  /** A page scaled the data plane and this environment could not: the pages after it are not verifiable. */
  notVerifiable?: string;
}

async function emptyFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

async function verifyOnePage(
  path: string,
  environment: () => Promise<LabEnvironment | Error>,
  options: VerifyDocsOptions,
  story: ChapterStory,
  bash: () => BashSession | undefined,
): Promise<PageVerdict> {
  const shown = displayPath(path);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let page;
  try {
    page = readPage(path, shown, { context: story.variables });
  } catch (error) {
    if (error instanceof PageFormatError) return failedPage(shown, errorRecord(error), elapsed());
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return failedPage(shown, errorRecord(new LabkitError('PAGE_NOT_FOUND', { problem: `${shown}: no such file` })), elapsed());
    throw error;
  }
  const judged = (verdict: PageVerdict): PageVerdict => ({ ...verdict, path });
  if (page.steps.length === 0) return judged(judgePage({ file: shown, steps: [], durationMs: elapsed() }, options.expectedFailures ?? []));
  const env = await environment();
  if (env instanceof Error) return failedPage(shown, recordOf(env, 'ENVIRONMENT_START_FAILED', 'the page was not run: no environment could be started for it'), elapsed());
  const continuesStory = story.fresh;
  let countersKept = false;
  if (!continuesStory) {
    // A page of an earlier chapter may have scaled the data plane (replicas: N): a chapter starts on the run's node count.
    const nodes = options.nodes ?? 1;
    if (env.scale && (env.nodes?.length ?? 1) !== nodes) {
      try {
        await env.scale(nodes);
      } catch (error) {
        return failedPage(shown, recordOf(error, 'ENVIRONMENT_START_FAILED', `the page was not run: the data plane could not be brought back to ${nodes} node${nodes === 1 ? '' : 's'} before the chapter`), elapsed());
      }
      const session = bash();
      if (session) retargetBashSession(session, env);
    }
    try {
      const { counters } = await resetGateway({ adminUrl: env.adminUrl, resetCounters: true });
      countersKept = counters !== 'cleared';
    } catch (error) {
      return failedPage(shown, recordOf(error, 'SYNC_FAILED', 'the page was not run: the gateway could not be emptied before it'), elapsed());
    }
    story.fresh = true;
  }
  // A documented Date in a later window than the previous page's last one: the story moved on to a fresh window.
  const windows = documentedWindows(page);
  if (continuesStory && windows.first && story.lastWindow !== undefined && windows.first.window !== story.lastWindow) windows.first.step.freshWindow = true;
  story.lastWindow = windows.last ?? story.lastWindow;
  const result = await verifyPage(page, env, {
    clock: options.clock,
    countersKept,
    continuesStory,
    workDir: story.workDir,
    bash: bash(),
    exports: story.exports,
    ...(story.notVerifiable ? { notVerifiable: story.notVerifiable } : {}),
    onStep: (step) => options.onStep?.(shown, step),
  });
  // The chapter's next pages stand on a data plane this environment could not scale to: they are not verifiable either.
  const unscaled = result.steps.find((step) => step.step.kind === 'scale' && step.skipped !== undefined);
  if (unscaled && !story.notVerifiable) story.notVerifiable = `${unscaled.skipped} (${shown}:${unscaled.step.at.line})`;
  return judged(judgePage(result, options.expectedFailures ?? []));
}

// Runs a parsed page in page order against an environment, the way a reader would in a shell: heredocs are
// written into a scratch working directory, `deck gateway sync` syncs the file from there, curl requests go
// to the environment, and each documented output is compared with the answer.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import type { LabEnvironment } from '../env/index.js';
import { syncDeclarationFile, SyncError } from '../sync/index.js';
import type { Clock } from '../runner/clock.js';
import { compareResponse, type Drift } from './compare-response.js';
import { countsRequests, ensureWindowRoom, startFreshWindow } from './fresh-window.js';
import { RequestFailedError, sendCurlRequest, type ActualResponse } from './http-exchange.js';
import type { PageStep, ParsedPage, RequestStep, SyncStep, WriteFileStep } from './types.js';

/** Bounds for "keep sending … eventually": enough for any workshop rate limit, short enough to fail fast. */
export const MAX_REPEATS = 100;
export const MAX_REPEAT_MS = 30_000;

export interface StepResult {
  step: PageStep;
  drifts: Drift[];
  /** What happened besides the comparison (a fresh window, repeats, the sync summary). */
  notes: string[];
}

export interface PageResult {
  file: string;
  steps: StepResult[];
  durationMs: number;
}

export interface VerifyPageOptions {
  clock?: Clock;
  /**
   * The gateway could not clear its rate-limit counters before the page (a real Kong): the previous page's
   * requests may still count, so a page that counts requests starts in a fresh window.
   */
  countersKept?: boolean;
  onStep?: (result: StepResult) => void;
}

export async function verifyPage(page: ParsedPage, env: LabEnvironment, options: VerifyPageOptions = {}): Promise<PageResult> {
  const started = performance.now();
  const workDir = await mkdtemp(join(tmpdir(), 'verify-docs-'));
  // The page's own connections, closed with it, so that the gateway has none left to drain when it stops.
  const agent = new Agent();
  const results: StepResult[] = [];
  let firstRequest = true;
  const startFresh = options.countersKept === true && countsRequests(page);
  try {
    for (const pageStep of page.steps) {
      const step = startFresh && firstRequest && pageStep.kind === 'request' ? { ...pageStep, freshWindow: true } : pageStep;
      const needsRoom = step.kind === 'request' && firstRequest && !step.freshWindow && page.showsRateLimits;
      const roomNote = needsRoom ? await ensureWindowRoom(page.windowPeriod, options.clock) : undefined;
      if (step.kind === 'request') firstRequest = false;
      const result = await runStep(step, page, env, workDir, agent, options);
      if (roomNote) result.notes.unshift(roomNote);
      results.push(result);
      options.onStep?.(result);
    }
  } finally {
    await agent.close();
    await rm(workDir, { recursive: true, force: true });
  }
  return { file: page.file, steps: results, durationMs: Math.round(performance.now() - started) };
}

async function runStep(
  step: PageStep,
  page: ParsedPage,
  env: LabEnvironment,
  workDir: string,
  dispatcher: Dispatcher,
  options: VerifyPageOptions,
): Promise<StepResult> {
  switch (step.kind) {
    case 'write-file':
      return writeStep(step, workDir);
    case 'sync':
      return syncStep(step, env, workDir);
    case 'request':
      return requestStep(step, page, env, dispatcher, options);
  }
}

function inWorkDir(workDir: string, path: string): string | undefined {
  const full = resolve(workDir, path);
  const inside = relative(workDir, full);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? full : undefined;
}

async function writeStep(step: WriteFileStep, workDir: string): Promise<StepResult> {
  const target = inWorkDir(workDir, step.path);
  if (!target) {
    return { step, notes: [], drifts: [{ file: step.at.file, line: step.at.line, message: `${step.path} is outside the working directory; write files next to the page's other files (a relative name)` }] };
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, step.text);
  return { step, drifts: [], notes: [`wrote ${step.path} (${step.text.split('\n').length - 1} lines)`] };
}

async function syncStep(step: SyncStep, env: LabEnvironment, workDir: string): Promise<StepResult> {
  const drift = (message: string): StepResult => ({ step, notes: [], drifts: [{ file: step.at.file, line: step.at.line, message }] });
  if (step.files.length !== 1) return drift(`deck gateway sync with ${step.files.length} files: verify-docs syncs one file per command`);
  const file = step.files[0];
  const target = inWorkDir(workDir, file);
  if (!target) return drift(`${file} is outside the working directory; sync a file the page wrote`);
  try {
    // decK leaves rate-limit counters alone; the page's Date headers decide when a fresh window starts.
    const report = await syncDeclarationFile(target, { adminUrl: env.adminUrl, resetCounters: false, selectTags: step.selectTags.length > 0 ? step.selectTags : undefined });
    const { created, updated, deleted } = report.summary;
    const ignored = step.ignoredFlags.length > 0 ? `; ignored ${step.ignoredFlags.join(', ')}` : '';
    return { step, drifts: [], notes: [`synced ${file}: created ${created}, updated ${updated}, deleted ${deleted}${ignored}`] };
  } catch (error) {
    if (error instanceof SyncError) return drift(`deck gateway sync ${file} failed: ${error.message.split(workDir).join('.')}`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return drift(`deck gateway sync ${file}: the page never wrote ${file} (cat > ${file} << 'EOF' … before this command)`);
    return drift(`deck gateway sync ${file} failed: ${(error as Error).message.split(workDir).join('.')}`);
  }
}

async function requestStep(step: RequestStep, page: ParsedPage, env: LabEnvironment, dispatcher: Dispatcher, options: VerifyPageOptions): Promise<StepResult> {
  const notes: string[] = [];
  const addresses = { proxyUrl: env.proxyUrl, adminUrl: env.adminUrl };
  const documented = step.documented;
  const location = documented?.statusLine?.line ?? documented?.at.line ?? step.at.line;
  const fail = (message: string): StepResult => ({ step, notes, drifts: [{ file: step.at.file, line: location, message }] });
  try {
    if (step.freshWindow) notes.push(await startFreshWindow(env.adminUrl, page.windowPeriod, { clock: options.clock, keepClearOfWindowEnd: page.showsRateLimits }));
    let actual: ActualResponse = await sendCurlRequest(step.request, addresses, { dispatcher });
    const wanted = documented?.statusLine?.code;
    if (step.repeatUntilDocumentedStatus && wanted !== undefined) {
      const started = performance.now();
      let attempts = 1;
      while (actual.status !== wanted && attempts < MAX_REPEATS && performance.now() - started < MAX_REPEAT_MS) {
        actual = await sendCurlRequest(step.request, addresses, { dispatcher });
        attempts += 1;
      }
      if (actual.status !== wanted) {
        return fail(`status line: documented "${documented!.statusLine!.text}", got "${actual.statusLine}" after ${attempts} attempts (the page says to keep sending until it shows)`);
      }
      notes.push(`sent ${attempts} time${attempts === 1 ? '' : 's'} until ${wanted} showed, as the page says`);
    }
    if (!documented) return { step, notes: [...notes, `${actual.statusLine} (no output documented)`], drifts: [] };
    return { step, notes, drifts: compareResponse(documented, actual, step.request.shows) };
  } catch (error) {
    if (error instanceof RequestFailedError) return fail(error.message);
    throw error;
  }
}

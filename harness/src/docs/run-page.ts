// Runs a parsed page in page order against an environment, the way a reader would in a shell. With a bash
// session (bash-shell.ts) each command runs in bash for real: heredocs, the kit's bin/deck, real curl, pipes
// into jq. Without one, the built-in emulation: heredocs are written by us, decK commands run on the kit's deck
// in-process (builtin-deck.ts), curl requests are sent with undici. Either way each documented output is
// compared with what came back. What cannot run here is skipped with its reason; the rest of the page still runs.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { openConnections, type Connections } from '../http/index.js';
import type { LabEnvironment } from '../env/index.js';
import type { Clock } from '../runner/clock.js';
import { runInBash, findOnPath, type BashRun, type BashSession } from './bash-shell.js';
import { deckOutcome, runPageDeck, type DeckRun } from './builtin-deck.js';
import { readCurlOutput } from './curl-output.js';
import { declarationUsesRedis } from '../redis/declaration-needs.js';
import { compareRequest } from './compare-request.js';
import { compareResponse, type Drift } from './compare-response.js';
import { compareDeckOutput, compareTextOutput } from './compare-text.js';
import { countsRequests, ensureWindowRoom, startFreshWindow } from './fresh-window.js';
import { printedOutput, RequestFailedError, sendCurlRequest, type ActualResponse } from './http-exchange.js';
import { isRemainingHeader } from './page-story.js';
import { runRedisStep } from './redis-step.js';
import { runScaleStep } from './scale-step.js';
import type { DeckStep, PageLocation, PageStep, ParsedPage, RequestStep, WriteFileStep } from './types.js';
import { shellQuoted } from '../deck/shell-env.js';
import { rewriteDeckBlock, rewriteResponseBlock, type BlockRewrite } from './update-blocks.js';
import { errorRecord, type ErrorRecord } from '../errors/labkit-error.js';
import { PageFormatError } from './errors.js';

/** Bounds for "keep sending … eventually": enough for any workshop rate limit, short enough to fail fast. */
export const MAX_REPEATS = 100;
export const MAX_REPEAT_MS = 30_000;
const JQ_TIMEOUT_MS = 10_000;
/** The one environment without a Redis: local processes where redis-server is missing (the containers runtime runs its own). */
const REDIS_MISSING = 'redis-server is not installed (apt-get install -y redis-server, or brew install redis), and the containers runtime, which runs its own, is not in use';

export interface StepResult {
  step: PageStep;
  drifts: Drift[];
  /** The step cannot run as the page writes it (PAGE_INVALID: an unknown curl option, an output block that does not fit its command). */
  error?: ErrorRecord;
  /** What happened besides the comparison (a fresh window, repeats, the sync summary). */
  notes: string[];
  /** Why the step did not run: it needs Kubernetes, another host, jq, or the page is not verifiable. */
  skipped?: string;
  /** A documented output was compared with what came back ("verified"); else the step only "ran". */
  compared: boolean;
  /** What the command printed, for --verbose on a drift. */
  printed?: string;
  /** For --update: the drifted block's lines as the gateway answered. */
  rewrite?: BlockRewrite;
}

export interface PageResult {
  file: string;
  steps: StepResult[];
  durationMs: number;
  /** "not verifiable: plugin X is not available in this gateway": the page is a skip with this reason. */
  notVerifiable?: string;
}

export interface VerifyPageOptions {
  clock?: Clock;
  /**
   * The gateway could not clear its rate-limit counters before the page (a real Kong): the previous page's
   * requests may still count, so a page that counts requests starts in a fresh window.
   */
  countersKept?: boolean;
  /** The page continues a chapter: its requests count on in the window the previous page left, so no wait first. */
  continuesStory?: boolean;
  /** The chapter's working directory (files written by earlier pages stay, as in a reader's shell). Default: a scratch one for the page. */
  workDir?: string;
  onStep?: (result: StepResult) => void;
  /** Run the commands in bash (bash-shell.ts); without it, the built-in emulation. */
  bash?: BashSession;
  /** The chapter's `export NAME=…` lines so far, for bash; the page adds its own. */
  exports?: string[];
  /** An earlier page of the chapter left it not verifiable (it scaled a data plane this environment cannot): every step is skipped with this. */
  notVerifiable?: string;
}

interface RunContext {
  page: ParsedPage;
  env: LabEnvironment;
  workDir: string;
  dispatcher: Connections;
  options: VerifyPageOptions;
  /** Bash runs this step; undefined: the built-in emulation does. */
  bash?: (command: string) => Promise<BashRun>;
}

export async function verifyPage(page: ParsedPage, env: LabEnvironment, options: VerifyPageOptions = {}): Promise<PageResult> {
  const started = performance.now();
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'verify-docs-')));
  // The page's own connections, closed with it, so that the gateway has none left to drain when it stops
  // (behind the balancer each emulated curl gets a pool of its own: see emulatedRun).
  const agent = openConnections();
  const results: StepResult[] = [];
  let firstRequest = true;
  let notVerifiable: string | undefined = options.notVerifiable;
  const startFresh = options.countersKept === true && countsRequests(page);
  const exports = options.exports ?? [];
  const bashSession = options.bash;
  const bash = bashSession ? (command: string): Promise<BashRun> => runInBash(command, bashSession, { cwd: workDir, exports }) : undefined;
  // `a; b` is two steps of one line; bash would run the whole line for each, so such steps are emulated.
  const lineShared = (step: PageStep): boolean =>
    page.steps.filter((other) => other !== step && other.at.line === step.at.line && 'command' in other && other.command === step.command).length > 0;
  try {
    for (const pageStep of page.steps) {
      if (notVerifiable) {
        const result: StepResult = { step: pageStep, drifts: [], notes: [], compared: false, skipped: `the page is ${notVerifiable}` };
        results.push(result);
        options.onStep?.(result);
        continue;
      }
      const step = startFresh && firstRequest && pageStep.kind === 'request' ? { ...pageStep, freshWindow: true } : pageStep;
      const needsRoom = step.kind === 'request' && firstRequest && !step.freshWindow && page.showsRateLimits && !options.continuesStory;
      const roomNote = needsRoom ? await ensureWindowRoom(page.windowPeriod, options.clock) : undefined;
      if (step.kind === 'request') firstRequest = false;
      // The Redis a page's `policy: redis` declaration names is started before its deck runs, whichever shell runs it.
      const usesRedis = step.kind === 'deck' && page.steps.some((other) => other.kind === 'write-file' && declarationUsesRedis(other.text));
      if (usesRedis && env.redis) await env.redis.ensure();
      // Without one, the gateway would proxy unlimited (fault_tolerant) and every rate-limit block would drift: the page
      // cannot be verified here, which is a skip with its reason. An external gateway may have a Redis of its own.
      if (usesRedis && !env.redis && env.runtime !== 'external') {
        notVerifiable = `not verifiable: its declaration uses policy: redis and this environment has no Redis (${REDIS_MISSING})`;
        const result: StepResult = { step, drifts: [], notes: [], compared: false, skipped: notVerifiable };
        results.push(result);
        options.onStep?.(result);
        continue;
      }
      const shared = bash !== undefined && lineShared(step);
      const result = await runStep(step, { page, env, workDir, dispatcher: agent, options, bash: shared ? undefined : bash });
      if (shared && ['request', 'deck', 'write-file'].includes(step.kind)) result.notes.push('emulated: bash would run the whole line for each of its commands');
      if (step.kind === 'export' && !step.ignored && bash) exports.push(`export ${step.name}=${exportValue(step.value)}`);
      if (roomNote) result.notes.unshift(roomNote);
      if (result.skipped?.startsWith('not verifiable')) notVerifiable = result.skipped;
      results.push(result);
      options.onStep?.(result);
    }
  } finally {
    await agent.close();
    if (!options.workDir) await rm(workDir, { recursive: true, force: true });
  }
  return { file: page.file, steps: results, durationMs: Math.round(performance.now() - started), ...(notVerifiable ? { notVerifiable } : {}) };
}

async function runStep(step: PageStep, context: RunContext): Promise<StepResult> {
  const ran = (notes: string[]): StepResult => ({ step, drifts: [], notes, compared: false });
  switch (step.kind) {
    case 'write-file':
      return writeStep(step, context);
    case 'deck':
      return deckStep(step, context);
    case 'request':
      return requestStep(step, context);
    case 'export':
      return ran([step.ignored ? `${step.name}: the environment sets it, the page's value is not used` : `${step.name} set for the page's later commands`]);
    case 'skip': {
      const notes = step.documentedLine !== undefined ? [`its output (block L${step.documentedLine}) is skipped with it`] : [];
      return { step, drifts: [], notes, compared: false, skipped: step.reason };
    }
    case 'redis':
      return runRedisStep(step, context.env);
    case 'scale':
      return runScaleStep(step, context.env, context.options);
    case 'invalid':
      return pageProblem(step, step.at, step.problem);
  }
}

/** A step the page writes so that it cannot run: failed with the page's error (where, what, the fix), unsent. */
function pageProblem(step: PageStep, at: PageLocation, problem: string, notes: string[] = []): StepResult {
  return { step, drifts: [], error: errorRecord(new PageFormatError(at, problem)), notes, compared: false };
}

function inWorkDir(workDir: string, path: string): string | undefined {
  const full = resolve(workDir, path);
  const inside = relative(workDir, full);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? full : undefined;
}

/** A page's exported value for bash: literal text quoted, `$NAME` references left for bash to expand. */
function exportValue(value: string): string {
  return /[$`]/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : shellQuoted(value);
}

/** The heredoc as the page writes it, for bash: its command line, the body, the delimiter. */
function heredocScript(step: WriteFileStep): string | undefined {
  const delimiter = /<<-?\s*(?:'([^']+)'|"([^"]+)"|\\?([^\s;|&<>]+))/.exec(step.command);
  const word = delimiter?.[1] ?? delimiter?.[2] ?? delimiter?.[3];
  return word === undefined ? undefined : `${step.command}\n${step.text}${word}`;
}

async function writeStep(step: WriteFileStep, { workDir, bash, options }: RunContext): Promise<StepResult> {
  const target = inWorkDir(workDir, step.path);
  const fail = (message: string): StepResult => ({ step, notes: [], compared: false, drifts: [{ file: step.at.file, line: step.at.line, message }] });
  if (!target) return pageProblem(step, step.at, `${step.path} is outside the working directory; write files next to the page's other files (a relative name)`);
  const wrote = `wrote ${step.path} (${step.text.split('\n').length - 1} lines)`;
  const script = bash ? heredocScript(step) : undefined;
  if (bash && script) {
    await mkdir(dirname(target), { recursive: true });
    const run = await bash(script);
    if (run.timedOut) return fail(timedOutMessage(step.command, options.bash!.timeoutMs));
    if (run.exitCode !== 0) return fail(`${step.command} failed in bash (exit ${run.exitCode}): ${lastLine(run.stderr)}`);
    return { step, drifts: [], compared: false, notes: [wrote] };
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, step.text);
  return { step, drifts: [], compared: false, notes: [wrote] };
}

function timedOutMessage(command: string, timeoutMs: number): string {
  return `"${command.split('\n')[0]}" did not finish within ${timeoutMs / 1000} s and was stopped (a server that never answers, or a command waiting for input?)`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || '(nothing on stderr)';
}

/**
 * curl's own `* ` notes and the `< ` lines it printed last, to say what happened to a request that got no answer.
 * Never the `> ` lines: they carry the request's headers, and an apikey is a secret.
 */
function curlNotes(stderr: string): string {
  const lines = stderr.replace(/\r\n/g, '\n').split('\n').filter((line) => /^[*<] /.test(line) || /^curl: \(\d+\)/.test(line));
  return lines.length === 0 ? 'curl printed nothing else.' : `What curl printed last (its notes and response lines):\n${lines.slice(-8).map((line) => `  ${line}`).join('\n')}`;
}

async function deckStep(step: DeckStep, { env, workDir, bash, options }: RunContext): Promise<StepResult> {
  let run: DeckRun;
  if (bash) {
    const ran = await bash(step.command);
    if (ran.timedOut) return { step, notes: [], compared: false, drifts: [{ file: step.at.file, line: step.at.line, message: timedOutMessage(step.command, options.bash!.timeoutMs) }] };
    run = deckOutcome(step, ran.stdout, ran.stderr, ran.exitCode);
  } else {
    run = await runPageDeck(step, { adminUrl: env.adminUrl, environment: env, resolveFile: (name) => inWorkDir(workDir, name) });
  }
  const notes = run.notes;
  if (run.unavailablePlugin) {
    return { step, drifts: [], notes, compared: false, skipped: `not verifiable: plugin ${run.unavailablePlugin} is not available in this gateway` };
  }
  if (run.error) {
    const message = `${step.command.replace(/\s+--konnect-token\s+\S+/, '')} failed: ${run.error.replace(/^Error: /, '').split(workDir + '/').join('').split(workDir).join('.')}`;
    return { step, notes, compared: false, drifts: [{ file: step.at.file, line: step.at.line, message }] };
  }
  const printed = run.stdout;
  const summary = deckNote(printed);
  if (!step.documented) return { step, drifts: [], compared: false, notes: summary ? [...notes, summary] : notes, printed };
  const drifts = compareDeckOutput(step.documented, printed);
  return { step, drifts, compared: true, notes, printed, ...(drifts.length > 0 ? { rewrite: rewriteDeckBlock(step.documented, printed) } : {}) };
}

/** decK's output in one line for the report: its change lines, then the Summary's counts. */
function deckNote(printed: string): string {
  const lines = printed.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const counts = lines.filter((line) => /^(Created|Updated|Deleted): \d+$/.test(line)).map((line) => line.toLowerCase().replace(':', ''));
  const rest = lines.filter((line) => line !== 'Summary:' && !/^(Created|Updated|Deleted): \d+$/.test(line));
  return [...rest, ...(counts.length > 0 ? [counts.join(', ')] : [])].join('; ');
}

let jqAvailable: Promise<boolean> | undefined;
/** Is jq on the PATH? Asked once per run. */
function hasJq(): Promise<boolean> {
  jqAvailable ??= execa('jq', ['--version'], { reject: false }).then((run) => run.exitCode === 0, () => false);
  return jqAvailable;
}

/** Has the answer reached what the page documents: its status, and a `Remaining: 0` it shows? */
function reached(step: RequestStep, actual: ActualResponse): boolean {
  const documented = step.documented;
  if (!documented?.statusLine || actual.status !== documented.statusLine.code) return false;
  return documented.headers
    .filter((header) => isRemainingHeader(header.name) && header.value.trim() === '0')
    .every((header) => actual.headers.some(([name, value]) => name.toLowerCase() === header.name.toLowerCase() && value === '0'));
}

function repeatTarget(step: RequestStep): string {
  const documented = step.documented!;
  const zero = documented.headers.find((header) => isRemainingHeader(header.name) && header.value.trim() === '0');
  return documented.statusLine!.code === 429 || !zero ? String(documented.statusLine!.code) : `${zero.name}: 0`;
}

/** One run of the command: every answer it printed (a loop prints several), what it printed, and the last answer's part. */
interface CommandRun {
  answers: ActualResponse[];
  printed: string;
  lastPrinted: string;
}

/** The emulation: the request sent with undici (as many times as the loop says), its output through jq if piped. */
async function emulatedRun(step: RequestStep, { env, dispatcher }: RunContext): Promise<CommandRun> {
  const addresses = { proxyUrl: env.proxyUrl, adminUrl: env.adminUrl };
  const answers: ActualResponse[] = [];
  // Behind the balancer every curl is a connection of its own, which the balancer hands to the next node: a pool
  // per request, closed after it (a pool that never keeps a connection would send `Connection: close`, which curl
  // does not, and the answer would say so). Read per request: a scale step may have changed the node count.
  const scaled = (env.nodes?.length ?? 1) > 1;
  for (let sent = 0; sent < (step.loopCount ?? 1); sent += 1) {
    const connection = scaled ? openConnections() : dispatcher;
    try {
      answers.push(await sendCurlRequest(step.request, addresses, { dispatcher: connection }));
    } finally {
      if (connection !== dispatcher) await connection.close();
    }
  }
  const printedEach = answers.map((answer) => printedOutput(answer, step.request.shows, step.request.writeOut));
  const printed = step.pipeline ? (await Promise.all(printedEach.map((text) => runJq(step.pipeline!.args, text)))).join('') : printedEach.join('');
  return { answers, printed, lastPrinted: printedEach[printedEach.length - 1] };
}

/** Bash: the command line as the page writes it (loop and pipe included), real curl's output read back. */
async function bashRun(step: RequestStep, bash: (command: string) => Promise<BashRun>, timeoutMs: number): Promise<CommandRun> {
  const run = await bash(step.command);
  if (run.timedOut) throw new CommandTimedOutError(timedOutMessage(step.command, timeoutMs));
  if (run.exitCode !== 0) {
    const what = step.pipeline ? `${step.command.split('\n')[0]}` : 'curl';
    throw new RequestFailedError(`${what} exited with ${run.exitCode}: ${lastLine(run.stderr)}`);
  }
  const shows = step.pipeline || step.request.writeOut !== undefined ? { headers: false, body: true } : step.request.shows;
  const answers = readCurlOutput(run.stdout, run.stderr, shows);
  if (answers.length === 0) throw new RequestFailedError(`curl printed no HTTP response: ${lastLine(run.stderr)}`);
  const unanswered = answers.find((answer) => answer.statusLine === '' && answer.sent.requestLine !== '');
  if (unanswered) throw new RequestFailedError(`curl sent "${unanswered.sent.requestLine}" and exited with 0, but printed no response to it. ${curlNotes(run.stderr)}`);
  // curl ends header lines with CRLF; what is shown, compared as text or written back by --update has LF.
  const stdout = run.stdout.replace(/\r\n/g, '\n');
  const verbose = step.request.shows.verbose ? `${run.stderr.replace(/\r\n/g, '\n').split('\n').filter((line) => /^[<>]( |$)/.test(line)).join('\n')}\n` : '';
  return { answers, printed: stdout, lastPrinted: verbose + stdout };
}

class CommandTimedOutError extends Error {}

/** A loop's statuses: from the answers curl printed, or from its `-w '%{http_code}\n'` lines. */
function loopStatuses(step: RequestStep, run: CommandRun): number[] {
  const answered = run.answers.filter((answer) => answer.status > 0).map((answer) => answer.status);
  if (answered.length > 0 || !/^%\{(?:http|response)_code\}\n?$/.test(step.request.writeOut ?? '')) return answered;
  return run.printed.split('\n').filter((line) => /^\d{3}$/.test(line.trim())).map(Number);
}

async function requestStep(step: RequestStep, context: RunContext): Promise<StepResult> {
  const { page, env, options, bash } = context;
  const notes: string[] = [];
  const documented = step.documented;
  const location = documented?.statusLine?.line ?? documented?.at.line ?? step.documentedText?.at.line ?? step.at.line;
  const fail = (message: string, line = location): StepResult => ({ step, notes, compared: false, drifts: [{ file: step.at.file, line, message }] });
  if (step.formatProblem) return pageProblem(step, { file: step.at.file, line: step.formatProblem.line }, step.formatProblem.message, notes);
  if (step.pipeline && !(bash ? findOnPath('jq', options.bash!.path) : await hasJq())) return { step, drifts: [], notes, compared: false, skipped: 'pipes into jq, which is not installed here' };
  const send = (): Promise<CommandRun> => (bash ? bashRun(step, bash, options.bash!.timeoutMs) : emulatedRun(step, context));
  try {
    if (step.freshWindow) notes.push(await startFreshWindow(env, page.windowPeriod, { clock: options.clock, keepClearOfWindowEnd: page.showsRateLimits }));
    let run = await send();
    const statuses = loopStatuses(step, run);
    if (step.loopCount !== undefined) notes.push(`sent ${step.loopCount} times, as the loop does${statuses.length > 0 ? `: ${statuses.join(' ')}` : ''}`);
    let actual = run.answers[run.answers.length - 1];
    if (step.repeat && documented?.statusLine) {
      const started = performance.now();
      let attempts = 1;
      while (!reached(step, actual) && attempts < MAX_REPEATS && performance.now() - started < MAX_REPEAT_MS) {
        run = await send();
        actual = run.answers[run.answers.length - 1];
        attempts += 1;
      }
      const why = step.repeat === 'prose' ? 'as the page says' : 'as the documented answers show (200 before, then this)';
      if (!reached(step, actual)) {
        return fail(`status line: documented "${documented.statusLine.text}", got "${actual.statusLine}" after ${attempts} attempts (the page says to keep sending until it shows)`);
      }
      notes.push(`sent ${attempts} time${attempts === 1 ? '' : 's'} until ${repeatTarget(step)} showed, ${why}`);
    }
    const printed = run.printed;

    if (step.documentedText) {
      const drifts = step.pipeline
        ? compareResponse(
            { at: step.documentedText.at, blockLine: step.documentedText.blockLine, headers: [], body: { text: step.documentedText.text, line: step.documentedText.firstLine }, firstLine: step.documentedText.firstLine, lastLine: step.documentedText.lastLine },
            { ...actual, body: printed },
            { headers: false, body: true },
          )
        : compareTextOutput(step.documentedText, printed, 'curl');
      return { step, notes, compared: true, drifts, printed, ...(drifts.length > 0 ? { rewrite: rewriteDeckBlock(step.documentedText, printed) } : {}) };
    }
    if (!documented) {
      const what = actual.statusLine || `printed ${Buffer.byteLength(printed)} bytes`;
      return { step, notes: [...notes, `${what} (no output documented)`], drifts: [], compared: false, printed };
    }
    const shows = { ...step.request.shows, headers: step.request.shows.headers || step.request.shows.verbose === true };
    const drifts = [
      ...(documented.request ? compareRequest(documented.request, actual.sent, documented.at.file) : []),
      ...compareResponse(documented, actual, shows),
    ].sort((a, b) => a.line - b.line);
    const rewrite = drifts.length > 0 ? rewriteResponseBlock(documented, actual, shows) : undefined;
    if (drifts.length > 0 && !rewrite) notes.push('--update does not rewrite curl -v blocks; paste the new output by hand');
    return { step, notes, compared: true, drifts, printed: run.lastPrinted, ...(rewrite ? { rewrite } : {}) };
  } catch (error) {
    if (error instanceof CommandTimedOutError) return fail(error.message, step.at.line);
    if (error instanceof RequestFailedError) return fail(error.message);
    throw error;
  }
}

async function runJq(args: string[], input: string): Promise<string> {
  const run = await execa('jq', args, { input, reject: false, timeout: JQ_TIMEOUT_MS });
  if (run.exitCode !== 0) throw new RequestFailedError(`jq ${args.join(' ')} failed: ${run.stderr.trim()}`);
  return run.stdout.endsWith('\n') || run.stdout === '' ? run.stdout : `${run.stdout}\n`;
}

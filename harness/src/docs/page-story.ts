// Turns a page into the steps a reader would run, in page order, and reads the page's story around them:
// which output block shows which command, where prose says to repeat a request, and where the documented
// Date headers show that a fresh rate-limit window began.

import { readFileSync } from 'node:fs';
import { parseOutputBlock, looksLikeHttpOutput, textOutput } from './documented-response.js';
import { PageFormatError } from './errors.js';
import { splitFrontMatter } from './front-matter.js';
import { highlightShortcodesToFences, HIGHLIGHT_INFO } from './hugo-shortcodes.js';
import { markdownBlocks, type MarkdownBlock } from './markdown-blocks.js';
import { longestPeriod, parseHttpDate, periodOfHeader, windowIndex, type RateLimitPeriod } from './rate-limit-windows.js';
import { newScriptContext, parseShellScript, type ScriptCommand, type ScriptContext } from './shell-script.js';
import type { DeckStep, DocumentedResponse, ParsedPage, PageStep, RequestStep, ScaleStep, SkipStep } from './types.js';

/** Languages whose code blocks hold commands to run. */
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
/** Info strings of blocks that may show a command's output. */
const OUTPUT_INFOS = new Set(['', 'http', 'text', 'txt', 'plaintext', 'output', 'console']);

/**
 * Prose that tells the reader to send the same request again until something happens; the request then repeats
 * until the documented status shows. Matched against the prose between the previous step and the output.
 */
export const REPEAT_CUES: readonly RegExp[] = [
  /\beventually\b/i,
  /\bkeep (?:on )?(?:sending|calling|trying|requesting|hitting)\b/i,
  /\b(?:repeat|send|run)\b[^.]*\b(?:again and again|repeatedly|a few (?:more )?times|several times|until)\b/i,
];

export interface ParseOptions {
  /** The chapter's variables so far (`export KEY=…` on an earlier page): a reader's shell keeps them. */
  context?: ScriptContext;
}

export function readPage(path: string, shownAs: string = path, options: ParseOptions = {}): ParsedPage {
  return parsePage(readFileSync(path, 'utf8'), shownAs, options);
}

export function parsePage(text: string, file: string, options: ParseOptions = {}): ParsedPage {
  const normalized = text.replace(/\r\n/g, '\n');
  const { frontMatter, body } = splitFrontMatter(normalized, file);
  const blocks = markdownBlocks(highlightShortcodesToFences(body, file));
  const steps = buildSteps(blocks, file, options.context ?? newScriptContext());
  pointAtWords(steps, normalized.split('\n'));
  markStoryRepeats(steps);
  const windowPeriod = markFreshWindows(steps);
  const showsRateLimits = steps.some(
    (step) => step.kind === 'request' && (step.documented?.headers ?? []).some((header) => /^(x-ratelimit-|ratelimit-|retry-after$)/i.test(header.name)),
  );
  return { file, frontMatter, steps, windowPeriod, showsRateLimits };
}

function isCommandBlock(info: string): boolean {
  const [first, language] = info.split(/\s+/);
  if (first === HIGHLIGHT_INFO) return language === undefined || SHELL_LANGUAGES.has(language);
  return SHELL_LANGUAGES.has(first);
}

/** Lines decK prints: its change lines, the Summary, ping's and errors. */
export function looksLikeDeckOutput(text: string): boolean {
  return text.split('\n').some((line) => /^(creating|updating|deleting) \S|^Summary:|^Successfully (connected|Konnected)|^Kong version:|^Error: /.test(line.trim()));
}

/** A step that cannot run because of one word (an unknown curl option): its location gets the word's column on the page's line. */
function pointAtWords(steps: PageStep[], lines: string[]): void {
  for (const step of steps) {
    if (step.kind !== 'invalid' || step.word === undefined || step.at.column !== undefined) continue;
    const line = lines[step.at.line - 1] ?? '';
    const escaped = step.word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = new RegExp(`(^|\\s)${escaped}(?=\\s|$)`).exec(line);
    if (found) step.at = { ...step.at, column: found.index + found[1].length + 1 };
  }
}

/** The step still waiting for its output block, if the last step is one. */
function pendingStep(steps: PageStep[]): RequestStep | DeckStep | SkipStep | ScaleStep | undefined {
  const last = steps[steps.length - 1];
  if (last?.kind === 'request' && !last.documented && !last.documentedText && !last.formatProblem) return last;
  if (last?.kind === 'deck' && !last.documented) return last;
  if ((last?.kind === 'skip' || last?.kind === 'scale') && last.documentedLine === undefined) return last;
  return undefined;
}

/** Does the request print text rather than an HTTP response (a pipe, `-w`, a loop without headers)? */
function printsText(step: RequestStep): boolean {
  return step.pipeline !== undefined || step.request.writeOut !== undefined || (step.loopCount !== undefined && !step.request.shows.headers && !step.request.shows.verbose);
}

function buildSteps(blocks: MarkdownBlock[], file: string, context: ScriptContext): PageStep[] {
  const steps: PageStep[] = [];
  let prose: string[] = [];
  const repeatCue = (): boolean => REPEAT_CUES.some((cue) => prose.some((text) => cue.test(text)));

  /** An output block (or a prompt block's output) for the step before it. */
  const attach = (text: string, info: string, firstLine: number, fenceLine: number): void => {
    const pending = pendingStep(steps);
    if (pending?.kind === 'skip' || pending?.kind === 'scale') {
      if (OUTPUT_INFOS.has(info) || info === 'json' || info === 'yaml') pending.documentedLine = fenceLine;
      return;
    }
    if (pending?.kind === 'deck') {
      if (looksLikeDeckOutput(text)) pending.documented = textOutput(text, file, firstLine, fenceLine);
      return;
    }
    if (pending?.kind === 'request' && printsText(pending)) {
      if (OUTPUT_INFOS.has(info) || info === 'json') pending.documentedText = textOutput(text, file, firstLine, fenceLine);
      return;
    }
    const bodyOnlyOutput = pending !== undefined && !pending.request.shows.headers && !pending.request.shows.verbose && (OUTPUT_INFOS.has(info) || info === 'json');
    if (!(OUTPUT_INFOS.has(info) && looksLikeHttpOutput(text)) && !bodyOnlyOutput) return;

    let output;
    try {
      output = parseOutputBlock(text, file, firstLine, { bodyOnly: bodyOnlyOutput });
    } catch (error) {
      if (!(error instanceof PageFormatError)) throw error;
      steps.push({ kind: 'invalid', problem: error.problem, at: error.location, blockLine: fenceLine, command: `output block L${fenceLine}` });
      return;
    }
    output.response.blockLine = fenceLine;
    let request = pending;
    if (output.command) {
      const named = parseShellScript(output.command.text, file, output.command.line, context)[0];
      if (named?.kind === 'curl') {
        // The `# curl` line names the command just run, or a new one the page only shows in the output block.
        if (!request || sameCommand(request.command, named.command) === false) {
          request = toStep(named, file, fenceLine, repeatCue()) as RequestStep;
          steps.push(request);
        }
      } else if (named) {
        steps.push({ ...(toStep(named, file, fenceLine, false) as PageStep), ...(named.kind === 'skip' ? { documentedLine: fenceLine } : {}) } as PageStep);
        prose = [];
        return;
      }
    }
    if (!request) {
      steps.push({
        kind: 'skip',
        reason: 'shows a response without the command that produced it (a step done in the Konnect UI, or a misplaced block); put it after its curl command, or start it with a "# curl …" line, to verify it',
        at: output.response.statusLine ? { file, line: output.response.statusLine.line } : output.response.at,
        blockLine: fenceLine,
        documentedLine: fenceLine,
        command: `output block L${fenceLine}`,
      });
      return;
    }
    const problem = showsProblem(request, output.response);
    if (problem) request.formatProblem = problem;
    else request.documented = output.response;
    if (repeatCue()) request.repeat = 'prose';
    prose = [];
  };

  for (const block of blocks) {
    if (block.kind !== 'code') {
      prose.push(block.text);
      continue;
    }
    if (isCommandBlock(block.info)) {
      for (const command of parseShellScript(block.text, file, block.line, context)) {
        steps.push(toStep(command, file, block.fenceLine, repeatCue()));
        prose = [];
        if (command.output) attach(command.output.text, '', command.output.line, block.fenceLine);
      }
      continue;
    }
    attach(block.text, block.info.split(/\s+/)[0], block.line, block.fenceLine);
  }
  return steps;
}

function sameCommand(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

function toStep(command: ScriptCommand, file: string, blockLine: number, repeat: boolean): PageStep {
  const at = { file, line: command.line };
  const base = { at, blockLine, command: command.command };
  switch (command.kind) {
    case 'write-file':
      return { kind: 'write-file', path: command.path, text: command.text, bodyLine: command.bodyLine, ...base };
    case 'deck':
      return { kind: 'deck', ...command.deck, ...base };
    case 'curl':
      return {
        kind: 'request',
        request: command.request,
        ...base,
        ...(repeat ? { repeat: 'prose' as const } : {}),
        ...(command.pipeline ? { pipeline: command.pipeline } : {}),
        ...(command.loopCount !== undefined ? { loopCount: command.loopCount } : {}),
        freshWindow: false,
      };
    case 'export':
      return { kind: 'export', name: command.name, value: command.value, ignored: command.ignored, ...base };
    case 'skip':
      return { kind: 'skip', reason: command.reason, ...base };
    case 'scale':
      return { kind: 'scale', nodes: command.nodes, ...base };
    case 'redis':
      return { kind: 'redis', action: command.action, ...base };
    case 'invalid':
      return { kind: 'invalid', problem: command.problem, ...(command.word !== undefined ? { word: command.word } : {}), ...base };
  }
}

/** The output block must show what the command prints: headers only with -i/--head, `> `/`< ` lines with -v. */
function showsProblem(request: RequestStep, documented: DocumentedResponse): { line: number; message: string } | undefined {
  const shows = request.request.shows;
  if (documented.request && !shows.verbose) {
    return { line: documented.request.requestLine.line, message: `the output shows curl -v's > and < lines, which "${request.command}" does not print; add -v to the command` };
  }
  if (shows.verbose && !documented.request) {
    return { line: documented.at.line, message: `"${request.command}" prints curl -v's > request and < response lines; show them in the output block` };
  }
  if (documented.statusLine && !shows.headers && !shows.verbose) {
    return { line: documented.statusLine.line, message: `the output shows a status line and headers, which "${request.command}" does not print; add -i to the command` };
  }
  if (!documented.statusLine && shows.headers) {
    return { line: documented.at.line, message: `"${request.command}" prints the status line and headers; show them in the output block` };
  }
  if (documented.body && !shows.body) {
    return { line: documented.body.line, message: `"${request.command}" prints no body (--head or -o /dev/null), but the output block shows one` };
  }
  return undefined;
}

/** Is this documented answer the end of a rate-limit story: a 429, or a `Remaining: 0`? */
export function showsLimitReached(documented: DocumentedResponse): boolean {
  return documented.statusLine?.code === 429 || documented.headers.some((header) => isRemainingHeader(header.name) && header.value.trim() === '0');
}

export function isRemainingHeader(name: string): boolean {
  return /^(x-ratelimit-remaining-\w+|ratelimit-remaining)$/i.test(name);
}

/**
 * The story told by the documented responses, in any language: a 429 (or `Remaining: 0`) after the same
 * command answered 200 means "send it until that appears", whatever the prose says.
 */
function markStoryRepeats(steps: PageStep[]): void {
  const requests = steps.filter((step): step is RequestStep => step.kind === 'request');
  requests.forEach((request, index) => {
    if (request.repeat || request.loopCount !== undefined || !request.documented || !showsLimitReached(request.documented)) return;
    const answeredBefore = requests.slice(0, index).some((earlier) => {
      const code = earlier.documented?.statusLine?.code;
      return code !== undefined && code >= 200 && code < 300 && sameCommand(earlier.command, request.command) && !showsLimitReached(earlier.documented!);
    });
    if (answeredBefore) request.repeat = 'story';
  });
}

/**
 * A documented Date in a later window than the previous documented Date means the capture crossed into a fresh
 * rate-limit window there. The window is the longest period the page's rate-limit headers name (minute when
 * none), so that clearing counters never resets a window the page still counts in.
 */
function markFreshWindows(steps: PageStep[]): RateLimitPeriod {
  const requests = steps.filter((step): step is RequestStep => step.kind === 'request');
  const periods: RateLimitPeriod[] = [];
  for (const request of requests) {
    for (const header of request.documented?.headers ?? []) {
      const period = periodOfHeader(header.name);
      if (period) periods.push(period);
    }
  }
  const period = longestPeriod(periods) ?? 'minute';
  let previous: number | undefined;
  for (const request of requests) {
    const date = request.documented?.headers.find((header) => header.name.toLowerCase() === 'date');
    const ms = date ? parseHttpDate(date.value) : undefined;
    if (ms === undefined) continue;
    const window = windowIndex(ms, period);
    if (previous !== undefined && window !== previous) request.freshWindow = true;
    previous = window;
  }
  return period;
}

/** The first dated request of the page and the window of its last documented Date: how a chapter's story carries on. */
export function documentedWindows(page: ParsedPage): { first?: { step: RequestStep; window: number }; last?: number } {
  const dated = page.steps.flatMap((step) => {
    if (step.kind !== 'request') return [];
    const date = step.documented?.headers.find((header) => header.name.toLowerCase() === 'date');
    const ms = date ? parseHttpDate(date.value) : undefined;
    return ms === undefined ? [] : [{ step, window: windowIndex(ms, page.windowPeriod) }];
  });
  return { first: dated[0], last: dated[dated.length - 1]?.window };
}

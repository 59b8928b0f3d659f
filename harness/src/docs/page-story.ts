// Turns a page into the steps a reader would run, in page order, and reads the page's story around them:
// which output block shows which command, where prose says to repeat a request, and where the documented
// Date headers show that a fresh rate-limit window began.

import { readFileSync } from 'node:fs';
import { parseOutputBlock, looksLikeHttpOutput } from './documented-response.js';
import { PageFormatError } from './errors.js';
import { splitFrontMatter } from './front-matter.js';
import { highlightShortcodesToFences, HIGHLIGHT_INFO } from './hugo-shortcodes.js';
import { markdownBlocks, type MarkdownBlock } from './markdown-blocks.js';
import { longestPeriod, parseHttpDate, periodOfHeader, windowIndex, type RateLimitPeriod } from './rate-limit-windows.js';
import { parseShellScript, type ScriptCommand } from './shell-script.js';
import type { ParsedPage, PageStep, RequestStep } from './types.js';

/** Languages whose code blocks hold commands to run. */
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
/** Info strings of blocks that may show a command's output. */
const OUTPUT_INFOS = new Set(['', 'http', 'text', 'txt', 'plaintext', 'output']);

/**
 * Prose that tells the reader to send the same request again until something happens; the request then repeats
 * until the documented status shows. Matched against the prose between the previous step and the output.
 */
export const REPEAT_CUES: readonly RegExp[] = [
  /\beventually\b/i,
  /\bkeep (?:on )?(?:sending|calling|trying|requesting|hitting)\b/i,
  /\b(?:repeat|send|run)\b[^.]*\b(?:again and again|repeatedly|a few (?:more )?times|several times|until)\b/i,
];

export function readPage(path: string, shownAs: string = path): ParsedPage {
  return parsePage(readFileSync(path, 'utf8'), shownAs);
}

export function parsePage(text: string, file: string): ParsedPage {
  const normalized = text.replace(/\r\n/g, '\n');
  const { frontMatter, body } = splitFrontMatter(normalized, file);
  const blocks = markdownBlocks(highlightShortcodesToFences(body, file));
  const steps = buildSteps(blocks, file);
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

function buildSteps(blocks: MarkdownBlock[], file: string): PageStep[] {
  const steps: PageStep[] = [];
  let prose: string[] = [];
  /** The last step, when it is a request still waiting for its output block. */
  const pendingRequest = (): RequestStep | undefined => {
    const last = steps[steps.length - 1];
    return last?.kind === 'request' && !last.documented ? last : undefined;
  };
  const repeatCue = (): boolean => REPEAT_CUES.some((cue) => prose.some((text) => cue.test(text)));

  for (const block of blocks) {
    if (block.kind !== 'code') {
      prose.push(block.text);
      continue;
    }
    if (isCommandBlock(block.info)) {
      for (const command of parseShellScript(block.text, file, block.line)) {
        steps.push(toStep(command, file, block.fenceLine, repeatCue()));
        prose = [];
      }
      continue;
    }
    const info = block.info.split(/\s+/)[0];
    const pending = pendingRequest();
    const bodyOnlyOutput = pending !== undefined && !pending.request.shows.headers && (OUTPUT_INFOS.has(info) || info === 'json');
    if (!(OUTPUT_INFOS.has(info) && looksLikeHttpOutput(block.text)) && !bodyOnlyOutput) continue;

    const output = parseOutputBlock(block.text, file, block.line, { bodyOnly: bodyOnlyOutput });
    output.response.blockLine = block.fenceLine;
    let request = pending;
    if (output.command) {
      const named = parseShellScript(output.command.text, file, output.command.line)[0];
      if (named?.kind !== 'curl') throw new PageFormatError({ file, line: output.command.line }, 'the # line of an output block must be the curl command it shows');
      // The `# curl` line names the command just run, or a new one the page only shows in the output block.
      if (!request || sameCommand(request.command, named.command) === false) {
        request = toStep(named, file, block.fenceLine, repeatCue()) as RequestStep;
        steps.push(request);
      }
    }
    if (!request) {
      throw new PageFormatError(
        output.response.at,
        'this output block follows no curl command: put it right after the command it shows, or start it with a "# curl …" line',
      );
    }
    checkShows(request, output.response, file);
    request.documented = output.response;
    request.repeatUntilDocumentedStatus ||= repeatCue();
    prose = [];
  }
  return steps;
}

function sameCommand(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

function toStep(command: ScriptCommand, file: string, blockLine: number, repeat: boolean): PageStep {
  const at = { file, line: command.line };
  switch (command.kind) {
    case 'write-file':
      return { kind: 'write-file', path: command.path, text: command.text, at, blockLine, bodyLine: command.bodyLine, command: command.command };
    case 'sync':
      return { kind: 'sync', files: command.files, selectTags: command.selectTags, ignoredFlags: command.ignoredFlags, at, blockLine, command: command.command };
    case 'curl':
      return { kind: 'request', request: command.request, command: command.command, at, blockLine, repeatUntilDocumentedStatus: repeat, freshWindow: false };
  }
}

/** The output block must show what the command prints: headers only with -i/--head, a body only without --head. */
function checkShows(request: RequestStep, documented: NonNullable<RequestStep['documented']>, file: string): void {
  if (documented.statusLine && !request.request.shows.headers) {
    throw new PageFormatError(
      { file, line: documented.statusLine.line },
      `the output shows a status line and headers, which "${request.command}" does not print; add -i to the command`,
    );
  }
  if (!documented.statusLine && request.request.shows.headers) {
    throw new PageFormatError({ file, line: documented.at.line }, `"${request.command}" prints the status line and headers; show them in the output block`);
  }
  if (documented.body && !request.request.shows.body) {
    throw new PageFormatError({ file, line: documented.body.line }, `"${request.command}" sends HEAD and prints no body, but the output block shows one`);
  }
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

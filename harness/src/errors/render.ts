// The one way an error is printed, after Hurl (and rustc):
//
//   error[LAB_FILE_INVALID]: checks[0].expect.status: must be a number
//     --> labs/03-consumer1/lab.yaml:9:15
//      |
//    9 |       status: two hundred
//      |               ^
//      |
//      = fix: fix the lab file; its format is described in labs/README.md …
//
// Paths are shown relative to the repository; the source line is read from the file when it can be.
// Colour only when asked (terminal/color.ts: NO_COLOR, not a terminal).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../constants.js';
import { colorEnabled, palette, type Palette } from '../terminal/color.js';
import type { ErrorProblem, ErrorRecord } from './labkit-error.js';
import { formatPosition, shownPath, type SourcePosition } from './source-position.js';

export interface RenderOptions {
  color: boolean;
  /** Paths under it are shown relative to it. Default: the repository. */
  root?: string;
  /** The text of a file, for quoting its line; default: read from disk (undefined when it cannot be). */
  readSource?: (file: string) => string | undefined;
  /**
   * Folds our text to the terminal: a line (continued under `hang`) and a block of detail (a usage).
   * The folding lives above this layer (report/wrap.ts, cli/usage-text.ts); quoted source lines never fold.
   */
  fold?: { line(line: string, hang: string): string[]; detail(text: string, indent: number): string };
}

/** A LabkitError, or its record (errorRecord) as a result carries it. */
export function renderError(error: ErrorRecord, options: RenderOptions): string {
  const p = palette(options.color);
  const root = options.root ?? REPO_ROOT;
  const texts = new Map<string, string[] | undefined>();
  const sourceLines = (file: string): string[] | undefined => {
    if (!texts.has(file)) {
      const text = (options.readSource ?? ((path: string) => readFromDisk(resolve(root, path))))(file);
      texts.set(file, text === undefined ? undefined : text.replace(/^\ufeff/, '').split(/\r?\n/));
    }
    return texts.get(file);
  };
  const entries: ErrorProblem[] = [{ problem: error.problem, location: error.location }, ...(error.also ?? [])];
  const width = Math.max(0, ...entries.map((entry) => (entry.location ? String(entry.location.line).length : 0)));
  const gutter = ' '.repeat(width + 1);
  const fold = options.fold;
  // A problem may run over several lines of its own; each is folded, continued under `hang`.
  const folded = (text: string, hang: string): string[] => (fold ? text.split('\n').flatMap((line) => fold.line(line, hang)) : [text]);
  const out: string[] = [];
  for (const entry of entries) {
    out.push(...folded(`${p.bold(p.red(`error[${error.code}]`))}${p.bold(`: ${entry.problem}`)}`, '  '));
    if (entry.location) out.push(...locationBlock(entry.location, width, sourceLines(entry.location.file), root, p));
  }
  if (error.detail) {
    const detail = fold ? fold.detail(error.detail, gutter.length + 1) : error.detail;
    out.push(...detail.split('\n').map((line) => (line ? `${gutter} ${line}` : '')));
  }
  for (const note of error.notes ?? []) out.push(...folded(`${gutter}${p.cyan('=')} ${p.bold('note')}: ${note}`, '    '));
  out.push(...folded(`${gutter}${p.cyan('=')} ${p.bold('fix')}: ${error.fix}`, '    '));
  return out.join('\n');
}

function locationBlock(at: SourcePosition, width: number, lines: string[] | undefined, root: string, p: Palette): string[] {
  const shown = formatPosition({ ...at, file: shownPath(at.file, root) });
  return [`${' '.repeat(width)}${p.cyan('-->')} ${shown}`, ...excerptLines(at, width, lines, p)];
}

/**
 * Only the quoted source line with its caret, for output that names the position itself (the kit's
 * deck prints decK's `Error: file:line:column: …` first); empty when the file cannot be read.
 */
export function renderExcerpt(at: SourcePosition, options: RenderOptions): string[] {
  const root = options.root ?? REPO_ROOT;
  const text = (options.readSource ?? ((path: string) => readFromDisk(resolve(root, path))))(at.file);
  return excerptLines(at, String(at.line).length, text?.replace(/^\ufeff/, '').split(/\r?\n/), palette(options.color));
}

function excerptLines(at: SourcePosition, width: number, lines: string[] | undefined, p: Palette): string[] {
  const gutter = ' '.repeat(width + 1);
  const line = lines?.[at.line - 1];
  if (line === undefined) return [];
  // Without a column the whole line is meant: underline it from its first character.
  const column = at.column ?? line.search(/\S/) + 1;
  const marks = at.column === undefined ? '^'.repeat(Math.max(1, line.trimEnd().length - column + 1)) : '^';
  // Tabs stay tabs under the caret, so it lines up however wide the terminal draws them.
  const before = line.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
  const bar = p.cyan('|');
  return [`${gutter}${bar}`, `${p.cyan(String(at.line).padStart(width))} ${bar} ${line}`, `${gutter}${bar} ${before}${p.red(marks)}`, `${gutter}${bar}`];
}

function readFromDisk(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes `error` to `stream` (stderr), coloured when it is a terminal and NO_COLOR is not set. */
export function writeError(
  stream: { write(text: string): unknown; isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  error: ErrorRecord,
  fold?: RenderOptions['fold'],
): void {
  stream.write(`${renderError(error, { color: colorEnabled(stream, env), fold })}\n`);
}

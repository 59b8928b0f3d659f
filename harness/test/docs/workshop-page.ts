// Where the workshop page is: next to the repository in CI (../shared/seeds/…), absent on a fresh clone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/docs/index.js';

export const WORKSHOP_PAGE = join(REPO_ROOT, '..', 'shared', 'seeds', '000_5a18fee121b1cdee.txt');
export const WORKSHOP_PAGE_PRESENT = existsSync(WORKSHOP_PAGE);
// CI sets this so that a missing page fails instead of skipping.
if (!WORKSHOP_PAGE_PRESENT && process.env.LABKIT_REQUIRE_WORKSHOP_PAGE === '1') {
  throw new Error(`LABKIT_REQUIRE_WORKSHOP_PAGE=1 but the workshop page is not at ${WORKSHOP_PAGE}`);
}
/** Appended to describe() titles, so a skip says why in every reporter. */
export const WORKSHOP_SKIP_REASON = WORKSHOP_PAGE_PRESENT
  ? ''
  : ' [SKIPPED: ../shared/seeds/000_5a18fee121b1cdee.txt is not next to this checkout; only CI has the workshop page]';

export function workshopText(): string {
  return readFileSync(WORKSHOP_PAGE, 'utf8');
}

/** 1-based line of the first line equal to `text` (trimmed), after line `after`. */
export function lineOf(page: string, text: string, after = 0): number {
  const index = page.split('\n').findIndex((line, at) => at >= after && line.trim() === text);
  if (index < 0) throw new Error(`test setup: "${text}" is not on the page`);
  return index + 1;
}

/** 1-based line of the first line starting with `prefix`, after line `after`. */
export function lineStartingWith(page: string, prefix: string, after = 0): number {
  const index = page.split('\n').findIndex((line, at) => at >= after && line.startsWith(prefix));
  if (index < 0) throw new Error(`test setup: no line starts with "${prefix}"`);
  return index + 1;
}

/** The page with line `line` (1-based) replaced, or removed when `replacement` is null. */
export function mutateLine(page: string, line: number, replacement: string | null): string {
  const lines = page.split('\n');
  if (replacement === null) lines.splice(line - 1, 1);
  else lines[line - 1] = replacement;
  return lines.join('\n');
}

// The terminal report: per page, per block, ✓ or ✗; for a drift the documented line as file:line with what
// the page says and what came back (one record a line, unfolded, for editors and CI logs to link); for a
// page or block that cannot be verified as written, the error as the one renderer prints it (code, problem,
// file:line, the page's line with a caret, the fix), folded to the terminal.

import { errorLine } from '../errors/labkit-error.js';
import { formatErrorBlock } from '../report/error-block.js';
import { palette } from '../terminal/color.js';
import { DEFAULT_WIDTH } from '../terminal/output-stream.js';
import { summariseVerdicts, type PageVerdict } from './verdicts.js';

export interface ReportStyle {
  color: boolean;
  /** Show the notes of passing steps too (repeats, fresh windows, sync summaries). */
  verbose?: boolean;
  /** Columns errors are folded to (default 80). */
  width?: number;
}

export function formatPageVerdict(page: PageVerdict, style: ReportStyle): string {
  const paint = palette(style.color);
  const ok = paint.green('✓');
  const bad = paint.red('✗');
  const skip = paint.yellow('○');
  const lines: string[] = [];
  const seconds = (page.durationMs / 1000).toFixed(1);
  const pageMark = page.status === 'passed' ? ok : page.status === 'failed' ? bad : skip;
  const skipped = page.status === 'skipped' ? ` — skipped: ${page.skipReason}` : '';
  lines.push(`${pageMark} ${page.file} (${page.steps.length} steps, ${seconds} s)${skipped}`);
  // Page paths are shown relative to the working directory (displayPath): their lines are read from there.
  const errorBlock = (indent: string) => ({ color: style.color, width: style.width ?? DEFAULT_WIDTH, indent, root: process.cwd() });
  if (page.error) lines.push(formatErrorBlock(page.error, errorBlock('    ')));
  for (const step of page.steps) {
    const known = (step.drifts.length > 0 || step.error !== undefined) && step.passed;
    const mark = !step.passed ? bad : step.status === 'skipped' ? skip : known ? paint.yellow('✓') : step.status === 'ran' ? paint.dim('·') : ok;
    const prints = step.step.kind === 'request' || step.step.kind === 'deck';
    const ran = prints ? ' (ran; no output documented)' : ' (ran)';
    const suffix = step.status === 'skipped' ? ` — skipped: ${step.skipped}` : step.status === 'ran' ? paint.dim(ran) : known ? ' (known drift)' : '';
    lines.push(`    ${mark} L${step.step.at.line} ${step.label}${suffix}`);
    if (step.error?.expectedBecause) lines.push(`        ${errorLine(step.error)}${paint.yellow(` [expected failure: ${step.error.expectedBecause}]`)}`);
    else if (step.error) lines.push(formatErrorBlock(step.error, errorBlock('        ')));
    for (const drift of step.drifts) {
      const note = drift.expectedBecause ? paint.yellow(` [expected failure: ${drift.expectedBecause}]`) : '';
      lines.push(`        ${drift.file}:${drift.line}: ${drift.message}${note}`);
    }
    if (style.verbose && !step.passed && step.printed !== undefined) {
      lines.push(paint.dim('        what came back:'));
      for (const line of step.printed.replace(/\n$/, '').split('\n')) lines.push(paint.dim(`        | ${line}`));
    }
    if (style.verbose || !step.passed) for (const note of step.notes) lines.push(paint.dim(`        · ${note}`));
  }
  for (const entry of page.unmetExpectations) {
    lines.push(`    ${bad} ${entry.source}: expected "${entry.message}" at block L${entry.block}, but it did not happen; remove the entry`);
  }
  return lines.join('\n');
}

export function formatSummary(pages: PageVerdict[]): string {
  const counts = summariseVerdicts(pages);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const pagesPart = `${plural(counts.pages.total, 'page')}: ${counts.pages.passed} passed, ${counts.pages.failed} failed, ${counts.pages.skipped} skipped`;
  const blocksPart = `${plural(counts.blocks.total, 'block')}: ${counts.blocks.verified} verified, ${counts.blocks.ran} ran, ${counts.blocks.skipped} skipped, ${counts.blocks.failed} failed`;
  const parts = [pagesPart, blocksPart];
  if (counts.drifts > 0) parts.push(plural(counts.drifts, 'drift'));
  if (counts.errors > 0) parts.push(plural(counts.errors, 'error'));
  if (counts.known > 0) parts.push(`${counts.known} known (expected failures)`);
  const shells = [...new Set(pages.flatMap((page) => (page.shell ? [page.shell] : [])))];
  if (shells.length > 0) parts.push(`commands ran ${shells.map((shell) => (shell === 'bash' ? 'in bash' : 'on the built-in emulation')).join(' and ')}`);
  return `verify-docs: ${parts.join('; ')}`;
}

// The terminal report: per page, per block, ✓ or ✗; for a drift the documented line as file:line with what
// the page says and what came back.

import { palette } from '../terminal/color.js';
import type { PageVerdict } from './verdicts.js';

export interface ReportStyle {
  color: boolean;
  /** Show the notes of passing steps too (repeats, fresh windows, sync summaries). */
  verbose?: boolean;
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
  if (page.error) lines.push(`    ${bad} ${page.error}`);
  for (const step of page.steps) {
    const known = step.drifts.length > 0 && step.passed;
    const mark = !step.passed ? bad : step.status === 'skipped' ? skip : known ? paint.yellow('✓') : step.status === 'ran' ? paint.dim('·') : ok;
    const prints = step.step.kind === 'request' || step.step.kind === 'deck';
    const ran = prints ? ' (ran; no output documented)' : ' (ran)';
    const suffix = step.status === 'skipped' ? ` — skipped: ${step.skipped}` : step.status === 'ran' ? paint.dim(ran) : known ? ' (known drift)' : '';
    lines.push(`    ${mark} L${step.step.at.line} ${step.label}${suffix}`);
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
  const count = <T>(items: T[], test: (item: T) => boolean): number => items.filter(test).length;
  const steps = pages.flatMap((page) => page.steps);
  const drifts = steps.flatMap((step) => step.drifts.filter((drift) => !drift.expectedBecause));
  const known = steps.flatMap((step) => step.drifts.filter((drift) => drift.expectedBecause));
  const pagesPart = `${pages.length} page${pages.length === 1 ? '' : 's'}: ${count(pages, (p) => p.status === 'passed')} passed, ${count(pages, (p) => p.status === 'failed')} failed, ${count(pages, (p) => p.status === 'skipped')} skipped`;
  const blocksPart = `${steps.length} block${steps.length === 1 ? '' : 's'}: ${count(steps, (s) => s.status === 'verified')} verified, ${count(steps, (s) => s.status === 'ran')} ran, ${count(steps, (s) => s.status === 'skipped')} skipped, ${count(steps, (s) => s.status === 'failed')} failed`;
  const parts = [pagesPart, blocksPart];
  if (drifts.length > 0) parts.push(`${drifts.length} drift${drifts.length === 1 ? '' : 's'}`);
  if (known.length > 0) parts.push(`${known.length} known (expected failures)`);
  const shells = [...new Set(pages.flatMap((page) => (page.shell ? [page.shell] : [])))];
  if (shells.length > 0) parts.push(`commands ran ${shells.map((shell) => (shell === 'bash' ? 'in bash' : 'on the built-in emulation')).join(' and ')}`);
  return `verify-docs: ${parts.join('; ')}`;
}

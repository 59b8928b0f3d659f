// The terminal report: per page, per block, ✓ or ✗; for a drift the documented line as file:line with what
// the page says and what came back.

import { palette } from '../report/color.js';
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
  const lines: string[] = [];
  const seconds = (page.durationMs / 1000).toFixed(1);
  lines.push(`${page.passed ? ok : bad} ${page.file} (${page.steps.length} steps, ${seconds} s)`);
  if (page.error) lines.push(`    ${bad} ${page.error}`);
  for (const step of page.steps) {
    const known = step.drifts.length > 0 && step.passed;
    const mark = step.passed ? (known ? paint.yellow('✓') : ok) : bad;
    lines.push(`    ${mark} L${step.step.at.line} ${step.label}${known ? ' (known drift)' : ''}`);
    for (const drift of step.drifts) {
      const suffix = drift.expectedBecause ? paint.yellow(` [expected failure: ${drift.expectedBecause}]`) : '';
      lines.push(`        ${drift.file}:${drift.line}: ${drift.message}${suffix}`);
    }
    if (style.verbose || !step.passed) for (const note of step.notes) lines.push(paint.dim(`        · ${note}`));
  }
  for (const entry of page.unmetExpectations) {
    lines.push(`    ${bad} ${entry.source}: expected "${entry.message}" at block L${entry.block}, but it did not happen; remove the entry`);
  }
  return lines.join('\n');
}

export function formatSummary(pages: PageVerdict[]): string {
  const failed = pages.filter((page) => !page.passed);
  const drifts = pages.flatMap((page) => page.steps.flatMap((step) => step.drifts.filter((drift) => !drift.expectedBecause)));
  const known = pages.flatMap((page) => page.steps.flatMap((step) => step.drifts.filter((drift) => drift.expectedBecause)));
  const parts = [`${pages.length - failed.length}/${pages.length} pages pass`];
  if (drifts.length > 0) parts.push(`${drifts.length} drift${drifts.length === 1 ? '' : 's'}`);
  if (known.length > 0) parts.push(`${known.length} known (expected failures)`);
  return `verify-docs: ${parts.join(', ')}`;
}

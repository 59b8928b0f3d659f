// JUnit XML for CI: one testsuite per page, one testcase per step.

import type { PageVerdict } from './verdicts.js';

export function junitXml(pages: PageVerdict[]): string {
  const total = (count: (page: PageVerdict) => number): number => pages.reduce((sum, page) => sum + count(page), 0);
  const testsOf = (page: PageVerdict): number => Math.max(1, page.steps.length + page.unmetExpectations.length);
  const failuresOf = (page: PageVerdict): number =>
    page.steps.filter((step) => !step.passed).length + page.unmetExpectations.length + (page.error ? 1 : 0);
  const skippedOf = (page: PageVerdict): number =>
    page.steps.filter((step) => step.passed && (step.status === 'skipped' || step.drifts.length > 0)).length + (page.status === 'skipped' && page.steps.length === 0 ? 1 : 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="verify-docs" tests="${total(testsOf)}" failures="${total(failuresOf)}" skipped="${total(skippedOf)}" time="${seconds(total((page) => page.durationMs))}">`,
  );
  for (const page of pages) {
    out.push(
      `  <testsuite name="${attr(page.file)}" tests="${testsOf(page)}" failures="${failuresOf(page)}" skipped="${skippedOf(page)}" time="${seconds(page.durationMs)}">`,
    );
    if (page.status === 'skipped' && page.steps.length === 0) {
      out.push(`    <testcase classname="${attr(page.file)}" name="page">`);
      out.push(`      <skipped message="${attr(page.skipReason ?? 'skipped')}"/>`);
      out.push('    </testcase>');
    }
    if (page.error) {
      out.push(`    <testcase classname="${attr(page.file)}" name="page">`);
      out.push(`      <failure message="${attr(page.error)}" type="page">${text(page.error)}</failure>`);
      out.push('    </testcase>');
    }
    for (const step of page.steps) {
      out.push(`    <testcase classname="${attr(page.file)}" name="${attr(`L${step.step.at.line} ${step.label}`)}" file="${attr(page.file)}" line="${step.step.at.line}">`);
      const open = step.drifts.filter((drift) => !drift.expectedBecause);
      if (open.length > 0) {
        const detail = open.map((drift) => `${drift.file}:${drift.line}: ${drift.message}`).join('\n');
        out.push(`      <failure message="${attr(`${open[0].file}:${open[0].line}: ${open[0].message}`)}" type="drift">${text(detail)}</failure>`);
      } else if (step.drifts.length > 0) {
        const reasons = [...new Set(step.drifts.map((drift) => drift.expectedBecause))].join('; ');
        out.push(`      <skipped message="${attr(`expected failure: ${reasons}`)}"/>`);
      } else if (step.status === 'skipped') {
        out.push(`      <skipped message="${attr(step.skipped ?? 'skipped')}"/>`);
      }
      if (step.notes.length > 0) out.push(`      <system-out>${text(step.notes.join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    for (const entry of page.unmetExpectations) {
      out.push(`    <testcase classname="${attr(page.file)}" name="${attr(`expected failure at block L${entry.block}`)}">`);
      out.push(`      <failure message="${attr(`expected "${entry.message}" but it did not happen; remove the entry (${entry.source})`)}" type="unmet-expected-failure"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function text(value: string): string {
  // XML 1.0 forbids most control characters even when escaped.
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

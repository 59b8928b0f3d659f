// verify-docs' verdicts as JUnit suites (one per page, one testcase per step), written by the one
// JUnit writer (report/junit.ts): a known drift or a step that could not run is <skipped message=…>.

import { junitDocument, type JUnitCase, type JUnitSuite } from '../report/junit.js';
import type { PageVerdict } from './verdicts.js';

export function junitXml(pages: PageVerdict[]): string {
  return junitDocument('verify-docs', pages.map(pageSuite));
}

function pageSuite(page: PageVerdict): JUnitSuite {
  const classname = page.file;
  const cases: JUnitCase[] = [];
  if (page.status === 'skipped' && page.steps.length === 0) cases.push({ classname, name: 'page', skipped: page.skipReason ?? 'skipped' });
  if (page.error) cases.push({ classname, name: 'page', failure: { message: page.error, type: 'page', detail: page.error } });
  for (const step of page.steps) {
    const testcase: JUnitCase = { classname, name: `L${step.step.at.line} ${step.label}`, file: page.file, line: step.step.at.line };
    const open = step.drifts.filter((drift) => !drift.expectedBecause);
    if (open.length > 0) {
      const detail = open.map((drift) => `${drift.file}:${drift.line}: ${drift.message}`).join('\n');
      testcase.failure = { message: `${open[0].file}:${open[0].line}: ${open[0].message}`, type: 'drift', detail };
    } else if (step.drifts.length > 0) {
      testcase.skipped = `expected failure: ${[...new Set(step.drifts.map((drift) => drift.expectedBecause))].join('; ')}`;
    } else if (step.status === 'skipped') {
      testcase.skipped = step.skipped ?? 'skipped';
    }
    if (step.notes.length > 0) testcase.systemOut = step.notes.join('\n');
    cases.push(testcase);
  }
  for (const entry of page.unmetExpectations) {
    cases.push({
      classname,
      name: `expected failure at block L${entry.block}`,
      failure: { message: `expected "${entry.message}" but it did not happen; remove the entry (${entry.source})`, type: 'unmet-expected-failure' },
    });
  }
  return { name: page.file, durationMs: page.durationMs, cases };
}

// verify-docs' verdicts as JUnit suites (one per page, one testcase per step), written by the one
// JUnit writer (report/junit.ts): a drift is a <failure type="drift">; a page or block that cannot be
// verified as written is an <error> of its code, at its file and line (report/junit.ts errorOutcome);
// a known drift or a step that could not run is <skipped message=…>.

import { errorOutcome, junitDocument, type JUnitCase, type JUnitSuite } from '../report/junit.js';
import type { PageVerdict } from './verdicts.js';

export function junitXml(pages: PageVerdict[]): string {
  // Pages are named relative to the working directory (displayPath): an error's source line is read from there.
  const paths = { root: process.cwd() };
  return junitDocument('verify-docs', pages.map((page) => pageSuite(page, paths)));
}

function pageSuite(page: PageVerdict, paths: { root: string }): JUnitSuite {
  const classname = page.file;
  const cases: JUnitCase[] = [];
  if (page.status === 'skipped' && page.steps.length === 0) cases.push({ classname, name: 'page', skipped: page.skipReason ?? 'skipped' });
  if (page.error) cases.push({ classname, name: 'page', ...(page.error.location ? { file: page.error.location.file, line: page.error.location.line } : { file: page.file }), error: errorOutcome(page.error, paths) });
  for (const step of page.steps) {
    const testcase: JUnitCase = { classname, name: `L${step.step.at.line} ${step.label}`, file: page.file, line: step.step.at.line };
    const open = step.drifts.filter((drift) => !drift.expectedBecause);
    const known = [...step.drifts.map((drift) => drift.expectedBecause), step.error?.expectedBecause].filter((reason) => reason !== undefined);
    if (step.error && !step.error.expectedBecause) {
      if (step.error.location) Object.assign(testcase, { file: step.error.location.file, line: step.error.location.line });
      testcase.error = errorOutcome(step.error, paths);
    }
    if (open.length > 0) {
      const detail = open.map((drift) => `${drift.file}:${drift.line}: ${drift.message}`).join('\n');
      testcase.failure = { message: `${open[0].file}:${open[0].line}: ${open[0].message}`, type: 'drift', detail };
    } else if (testcase.error === undefined && known.length > 0) {
      testcase.skipped = `expected failure: ${[...new Set(known)].join('; ')}`;
    } else if (testcase.error === undefined && step.status === 'skipped') {
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

// JUnit XML for CI, the one writer: lab results (one testsuite per lab, one testcase per check) and
// verify-docs (one testsuite per page, docs/junit.ts maps its verdicts) both describe their suites
// as data, and this file alone turns them into XML, escaped one way, and writes the file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult, LabResult } from '../runner/results.js';
import { errorLine, type ErrorRecord } from '../errors/labkit-error.js';
import { renderError } from '../errors/render.js';
import { toCurl } from './curl.js';

export interface JUnitOutcome {
  /** The one-line summary CI shows. */
  message: string;
  type: string;
  /** The full story (element text); absent: an empty element. */
  detail?: string;
}

export interface JUnitCase {
  classname: string;
  name: string;
  durationMs?: number;
  file?: string;
  line?: number;
  failure?: JUnitOutcome;
  error?: JUnitOutcome;
  /** Why the case was not run (or its drift is a known one). */
  skipped?: string;
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  durationMs: number;
  timestamp?: Date;
  file?: string;
  cases: JUnitCase[];
  systemOut?: string;
}

/** The document: every count is read off the cases, so the totals always add up. */
export function junitDocument(name: string, suites: JUnitSuite[]): string {
  const count = (cases: JUnitCase[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => c.error).length,
    skipped: cases.filter((c) => c.skipped !== undefined && !c.failure && !c.error).length,
  });
  const attributes = (counts: ReturnType<typeof count>) =>
    `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}"`;
  const all = count(suites.flatMap((suite) => suite.cases));
  const total = suites.reduce((sum, suite) => sum + suite.durationMs, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${attr(name)}" ${attributes(all)} time="${secs(total)}">`];
  for (const suite of suites) {
    const extra = [suite.timestamp ? ` timestamp="${suite.timestamp.toISOString().replace(/\.\d{3}Z$/, '')}"` : '', suite.file ? ` file="${attr(suite.file)}"` : ''].join('');
    lines.push(`  <testsuite name="${attr(suite.name)}" ${attributes(count(suite.cases))} time="${secs(suite.durationMs)}"${extra}>`);
    for (const testcase of suite.cases) lines.push(...caseLines(testcase));
    if (suite.systemOut) lines.push(`    <system-out>${text(suite.systemOut)}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function caseLines(testcase: JUnitCase): string[] {
  const where = `${testcase.file !== undefined ? ` file="${attr(testcase.file)}"` : ''}${testcase.line !== undefined ? ` line="${testcase.line}"` : ''}`;
  const open = `    <testcase classname="${attr(testcase.classname)}" name="${attr(testcase.name)}" time="${secs(testcase.durationMs ?? 0)}"${where}`;
  const inner: string[] = [];
  for (const [element, outcome] of [['failure', testcase.failure], ['error', testcase.error]] as const) {
    if (!outcome) continue;
    const start = `      <${element} message="${attr(outcome.message)}" type="${attr(outcome.type)}"`;
    inner.push(outcome.detail === undefined ? `${start}/>` : `${start}>${text(outcome.detail)}</${element}>`);
  }
  if (testcase.skipped !== undefined && inner.length === 0) inner.push(`      <skipped message="${attr(testcase.skipped)}"/>`);
  if (testcase.systemOut) inner.push(`      <system-out>${text(testcase.systemOut)}</system-out>`);
  if (inner.length === 0) return [`${open}/>`];
  return [`${open}>`, ...inner, '    </testcase>'];
}

/**
 * A LabkitError (as a result carries it): its code as the type, `file:line:column: problem` as the
 * message, and the error as the renderer prints it (the source line with its caret, notes, the fix),
 * without colour, as the text.
 */
export function errorOutcome(error: ErrorRecord, paths: { root?: string } = {}): JUnitOutcome {
  return { message: errorLine(error), type: error.code, detail: renderError(error, { color: false, root: paths.root }) };
}

/** `--junit DIR/FILE`: the folders are created, as CI configurations expect. */
export function writeJUnitFile(path: string, xml: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, xml);
}

/** Lab results: a lab whose declaration could not be synced is an error; a lab skipped here is skipped. */
export function toJUnitXml(results: LabResult[], options: { name?: string; timestamp?: Date } = {}): string {
  const timestamp = options.timestamp ?? new Date();
  const suites = results.map((result): JUnitSuite => {
    const classname = `labs.${result.lab.id}`;
    const cases: JUnitCase[] = [];
    if (result.error) {
      // A lab that could not run (on): named by what stopped it, at the error's file and line (the declaration's field, the lab file's step).
      const at = result.error.location ?? { file: result.lab.file, line: undefined };
      const name = result.error.code === 'LAB_STEP_FAILED' ? "the lab's redis: stop|start step" : "sync the lab's declaration";
      cases.push({ classname, name, file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), error: errorOutcome(result.error) });
    }
    if (result.skipped !== undefined) cases.push({ classname, name: 'the lab', file: result.lab.file, skipped: result.skipped });
    cases.push(...result.checks.map((check) => checkCase(classname, check)));
    return {
      name: `${result.lab.id}: ${result.lab.title}`,
      durationMs: result.durationMs,
      timestamp,
      file: result.lab.file,
      cases,
      systemOut: result.waitedMs > 0 ? `waited ${secs(result.waitedMs)} s for rate-limit windows or retries` : undefined,
    };
  });
  return junitDocument(options.name ?? 'labs', suites);
}

function checkCase(classname: string, check: CheckResult): JUnitCase {
  const testcase: JUnitCase = { classname, name: check.name, durationMs: check.durationMs, file: check.check.position.file, line: check.check.position.line };
  if (check.passed) return testcase;
  const failed = check.expectations.filter((expectation) => !expectation.ok);
  const first = failed[0];
  const message = check.error ?? (first ? `${first.subject}: expected ${first.expected}, got ${first.actual}` : 'failed');
  const detail = [
    `$ ${toCurl(check.request)}`,
    check.response ? `HTTP/1.1 ${check.response.status} ${check.response.statusText}` : (check.error ?? 'no response'),
    ...failed.map((e) => `${e.position.file}:${e.position.line}: ${e.subject}: expected ${e.expected}, got ${e.actual}`),
    ...check.notes,
  ].join('\n');
  return { ...testcase, failure: { message, type: 'expectation', detail } };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML 1.0 cannot carry most control characters at all, escaped or not: they are dropped. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

/** Element text. */
export function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; a line break stays one (a raw one would be read as a space). */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

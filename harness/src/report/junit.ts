// JUnit XML for CI: one testsuite per lab, one testcase per check, a <failure> with the curl command and
// every failed expectation (expected vs actual, file:line).

import type { CheckResult, LabResult } from '../runner/results.js';
import { summarise } from '../runner/results.js';
import { toCurl } from './curl.js';

export function toJUnitXml(results: LabResult[], options: { name?: string; timestamp?: Date } = {}): string {
  const summary = summarise(results);
  const labErrors = results.filter((result) => result.error).length;
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(options.name ?? 'labs')}" tests="${summary.checks + labErrors}" failures="${summary.checksFailed}" errors="${labErrors}" time="${secs(summary.durationMs)}">`,
  ];
  for (const result of results) {
    const failures = result.checks.filter((check) => !check.passed).length;
    const errors = result.error ? 1 : 0;
    lines.push(
      `  <testsuite name="${attr(`${result.lab.id}: ${result.lab.title}`)}" tests="${result.checks.length + errors}" failures="${failures}" errors="${errors}" skipped="0" time="${secs(result.durationMs)}" timestamp="${timestamp}" file="${attr(result.lab.file)}">`,
    );
    if (result.error) {
      lines.push(`    <testcase classname="${attr(`labs.${result.lab.id}`)}" name="sync the lab's declaration" time="0.000" file="${attr(result.lab.file)}">`);
      lines.push(`      <error message="${attr(result.error.split('\n')[0])}" type="sync">${text(result.error)}</error>`, '    </testcase>');
    }
    for (const check of result.checks) lines.push(...testcase(result, check));
    if (result.waitedMs > 0) lines.push(`    <system-out>${text(`waited ${secs(result.waitedMs)} s for rate-limit windows or retries`)}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(result: LabResult, check: CheckResult): string[] {
  const open = `    <testcase classname="${attr(`labs.${result.lab.id}`)}" name="${attr(check.name)}" time="${secs(check.durationMs)}" file="${attr(check.check.position.file)}" line="${check.check.position.line}"`;
  if (check.passed) return [`${open}/>`];
  const failed = check.expectations.filter((expectation) => !expectation.ok);
  const first = failed[0];
  const message = check.error ?? (first ? `${first.subject}: expected ${first.expected}, got ${first.actual}` : 'failed');
  const details = [
    `$ ${toCurl(check.request.url, check.check.request)}`,
    check.response ? `HTTP/1.1 ${check.response.status} ${check.response.statusText}` : (check.error ?? 'no response'),
    ...failed.map((e) => `${e.position.file}:${e.position.line}: ${e.subject}: expected ${e.expected}, got ${e.actual}`),
    ...check.notes,
  ].join('\n');
  return [open + '>', `      <failure message="${attr(message)}" type="expectation">${text(details)}</failure>`, '    </testcase>'];
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML 1.0 cannot carry most control characters at all; drop them. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

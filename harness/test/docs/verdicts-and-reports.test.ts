import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ExpectedFailuresFileError, formatPageVerdict, formatSummary, judgePage, junitXml, loadExpectedFailures, PageFormatError, parsePage, type PageResult,
} from '../../src/docs/index.js';
import { failedPage } from '../../src/docs/verdicts.js';
import { errorRecord, LabkitError } from '../../src/errors/labkit-error.js';

const fence = '```';
const page = parsePage(
  ['{{<highlight>}}', 'curl --head $DATA_PLANE_LB/a', '{{</highlight>}}', fence, 'HTTP/1.1 200 OK', 'X-RateLimit-Remaining-Minute: 4', fence].join('\n'),
  'content/p.md',
);
const drift = { file: 'content/p.md', line: 6, message: 'X-RateLimit-Remaining-Minute: documented "4", got "3"' };
const result: PageResult = { file: 'content/p.md', durationMs: 12, steps: [{ step: page.steps[0], drifts: [drift], notes: ['fresh rate-limit window (counters cleared)'], compared: true }] };
const entry = (message: string) => ({ page: resolve('content/p.md'), block: 4, message, reason: 'known', source: 'x.yaml: expected_failures[0]' });

describe('judging results', () => {
  it('fails a page on a drift, names the documented line, and lists the block', () => {
    const verdict = judgePage(result, []);
    expect(verdict.passed).toBe(false);
    expect(verdict.steps[0]).toMatchObject({ passed: false, block: 4, label: 'curl --head $DATA_PLANE_LB/a → output L4' });
    const report = formatPageVerdict(verdict, { color: false });
    expect(report).toContain('✗ content/p.md');
    expect(report).toContain('✗ L2 curl --head $DATA_PLANE_LB/a → output L4');
    expect(report).toContain('content/p.md:6: X-RateLimit-Remaining-Minute: documented "4", got "3"');
  });

  it('lets a listed drift pass, and fails on a listed drift that no longer happens', () => {
    const known = judgePage(result, [entry(drift.message)]);
    expect(known.passed).toBe(true);
    expect(known.steps[0].drifts[0].expectedBecause).toBe('known');
    const stale = judgePage({ ...result, steps: [{ ...result.steps[0], drifts: [] }] }, [entry(drift.message)]);
    expect(stale.passed).toBe(false);
    expect(formatPageVerdict(stale, { color: false })).toMatch(/did not happen; remove the entry/);
    // The message must match exactly.
    expect(judgePage(result, [entry('X-RateLimit-Remaining-Minute: documented "4"')]).passed).toBe(false);
  });

  it('writes JUnit XML with one testsuite per page and a failure per drifting step', () => {
    const xml = junitXml([judgePage(result, [])]);
    expect(xml).toContain('<testsuites name="verify-docs" tests="1" failures="1" errors="0" skipped="0"');
    expect(xml).toContain('<testsuite name="content/p.md" tests="1" failures="1"');
    expect(xml).toContain('name="L2 curl --head $DATA_PLANE_LB/a → output L4" time="0.000" file="content/p.md" line="2"');
    expect(xml).toContain('<failure message="content/p.md:6: X-RateLimit-Remaining-Minute: documented &quot;4&quot;, got &quot;3&quot;" type="drift">');
    const known = junitXml([judgePage(result, [entry(drift.message)])]);
    expect(known).toContain('<skipped message="expected failure: known"/>');
  });

  it("a block that cannot run as written fails with the page's error, not a drift; the expected-failures file waives it by its problem", () => {
    const problem = 'verify-docs does not know the curl option -L';
    const error = errorRecord(new PageFormatError({ file: 'content/p.md', line: 2 }, problem));
    const failing: PageResult = { ...result, steps: [{ step: page.steps[0], drifts: [], error, notes: [], compared: false }] };
    const verdict = judgePage(failing, []);
    expect(verdict.steps[0]).toMatchObject({ status: 'failed', passed: false, drifts: [], error: { code: 'PAGE_INVALID', location: { file: 'content/p.md', line: 2 }, problem } });
    expect(formatSummary([verdict])).toBe('verify-docs: 1 page: 0 passed, 1 failed, 0 skipped; 1 block: 0 verified, 0 ran, 0 skipped, 1 failed; 1 error');
    // The source line is not readable here (content/p.md does not exist): the block says what and where all the same.
    expect(formatPageVerdict(verdict, { color: false })).toContain(`    ✗ L2 curl --head $DATA_PLANE_LB/a → output L4\n        error[PAGE_INVALID]: ${problem}\n         --> content/p.md:2\n          = fix: `);

    const waived = judgePage(failing, [entry(problem)]);
    expect(waived.passed).toBe(true);
    expect(waived.steps[0].error?.expectedBecause).toBe('known');
    expect(formatPageVerdict(waived, { color: false })).toContain(`        content/p.md:2: ${problem} [expected failure: known]`);
    expect(formatSummary([waived])).toContain('1 known (expected failures)');
    expect(junitXml([waived])).toContain('<skipped message="expected failure: known"/>');
  });

  it('a page that could not run carries the error it failed on, rendered with its notes', () => {
    const cause = new LabkitError('ENVIRONMENT_START_FAILED', { problem: 'the gateway did not answer within 10 s' });
    const verdict = failedPage('content/p.md', errorRecord(cause.withNote('the page was not run: no environment could be started for it')));
    expect(formatPageVerdict(verdict, { color: false }).split('\n')).toEqual([
      '✗ content/p.md (0 steps, 0.0 s)',
      '    error[ENVIRONMENT_START_FAILED]: the gateway did not answer within 10 s',
      '     = note: the page was not run: no environment could be started for it',
      '     = fix: read the log lines above; npm run doctor checks the machine',
    ]);
    expect(junitXml([verdict])).toContain('<testcase classname="content/p.md" name="page" time="0.000" file="content/p.md">\n      <error message="the gateway did not answer within 10 s" type="ENVIRONMENT_START_FAILED">');
  });
});

describe('the expected-failures file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expected-failures-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads page (relative to the base folder), block, message and reason', () => {
    const path = file('ok.yaml', 'expected_failures:\n  - page: content/p.md\n    block: 4\n    message: "a: documented \\"1\\", got \\"2\\""\n    reason: the gateway rounds\n');
    expect(loadExpectedFailures(path, '/repo')).toEqual([
      { page: '/repo/content/p.md', block: 4, message: 'a: documented "1", got "2"', reason: 'the gateway rounds', source: `${path}:2:5` },
    ]);
    expect(loadExpectedFailures(file('empty.yaml', 'expected_failures: []\n'))).toEqual([]);
    expect(loadExpectedFailures(join(dir, 'missing.yaml'))).toEqual([]);
  });

  it('says what is wrong with an entry', () => {
    expect(() => loadExpectedFailures(file('no-reason.yaml', 'expected_failures:\n  - {page: p.md, block: 4, message: m}\n'))).toThrow(ExpectedFailuresFileError);
    expect(() => loadExpectedFailures(file('no-reason.yaml', 'expected_failures:\n  - {page: p.md, block: 4, message: m}\n'))).toThrow(/reason must explain/);
    expect(() => loadExpectedFailures(file('bad-block.yaml', 'expected_failures:\n  - {page: p.md, block: x, message: m, reason: r}\n'))).toThrow(/block must be the line number/);
    expect(() => loadExpectedFailures(file('extra.yaml', 'expected_failures:\n  - {page: p.md, block: 1, message: m, reason: r, line: 3}\n'))).toThrow(/unknown field line/);
    const entry = (text: string) => {
      try {
        loadExpectedFailures(file('bad.yaml', text));
      } catch (error) {
        return error as ExpectedFailuresFileError;
      }
      throw new Error('expected an ExpectedFailuresFileError');
    };
    // Where the entry goes wrong, with the code EXPECTED_FAILURES_INVALID (exit 2), and a did-you-mean for a misspelt field.
    const misspelt = entry('expected_failures:\n  - page: p.md\n    block: 1\n    mesage: m\n    reason: r\n');
    expect(misspelt).toMatchObject({ code: 'EXPECTED_FAILURES_INVALID', exitCode: 2, location: { file: join(dir, 'bad.yaml'), line: 4, column: 5 } });
    expect(misspelt.fix).toMatch(/^did you mean message\?/);
    expect(entry('expected_failures:\n  - page: p.md\n    block: -3\n    message: m\n    reason: r\n').location).toMatchObject({ line: 3, column: 12 });
  });
});

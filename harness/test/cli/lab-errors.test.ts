// A lab that cannot run, as `npm run lab` and `npm run labs` report it: the error (code, location,
// problem, fix) kept whole in --json and --junit, and rendered for people with the declaration's line
// and a caret under the field.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLabCommand, runLabsCommand, type CommandIo } from '../../src/cli/index.js';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import type { JsonReport } from '../../src/report/json.js';
import { DEFAULT_LABS_DIR } from '../../src/spec/discover.js';
import { stateDirTracker } from '../classroom/scripts.js';

const stateDirs = stateDirTracker();
const scratch = mkdtempSync(join(tmpdir(), 'labkit-lab-errors-'));
const labsDir = join(scratch, 'labs');
const declaration = join(labsDir, '05-rate-limits', 'key-auth.yaml');
let fieldLine: number;
let env: LabEnvironment;

beforeAll(async () => {
  // Two labs in the copy: `labs` then runs one that passes and the broken one.
  for (const lab of ['04-consumer2', '05-rate-limits']) cpSync(join(DEFAULT_LABS_DIR, lab), join(labsDir, lab), { recursive: true });
  // `minutes` is not a field of rate-limiting's config: the gateway rejects the declaration.
  const lines = readFileSync(declaration, 'utf8').split('\n');
  fieldLine = lines.findIndex((line) => line.trim() === 'minute: 5') + 1;
  lines[fieldLine - 1] = lines[fieldLine - 1].replace('minute: 5', 'minutes: 5');
  writeFileSync(declaration, lines.join('\n'));
  env = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
});
afterAll(async () => {
  await env?.close();
  await stateDirs.cleanUp();
  rmSync(scratch, { recursive: true, force: true });
});

function capture(columns: number): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: { LABKIT_STATE_DIR: stateDirs.next(), NO_COLOR: '1', COLUMNS: String(columns) },
    labsDir,
    out: () => out,
    err: () => err,
  };
}

const external = () => ['--runtime', 'external', '--proxy-url', env.proxyUrl, '--admin-url', env.adminUrl];

describe('a lab whose declaration the gateway rejects', () => {
  it('npm run lab: rendered at the field with a caret (folded to 80 columns), and kept whole in --json and --junit', async () => {
    const junit = join(scratch, 'reports', 'lab.xml');
    const io = capture(80);
    expect(await runLabCommand(['5', '--json', '--junit', junit, ...external()], io), io.err()).toBe(1);

    // --json owns stdout; the people's output goes to stderr.
    const report = JSON.parse(io.out()) as JsonReport;
    expect(report.passed).toBe(false);
    const error = report.labs[0].error!;
    expect(error).toMatchObject({ code: 'DECLARATION_REJECTED', exitCode: 2, location: { file: declaration, line: fieldLine, column: 7 }, fix: 'fix the declaration and sync again' });
    expect(error.problem).toMatch(/config\.minutes: unknown field \(did you mean "minute"\?\)/);
    expect(error.notes).toContain('lab 5 could not run');

    const text = io.err();
    const rendered = text.slice(text.indexOf('error[DECLARATION_REJECTED]'));
    const lines = rendered.split('\n');
    expect(lines[0]).toMatch(/^error\[DECLARATION_REJECTED\]: /);
    const arrow = lines.findIndex((line) => /^\s+--> /.test(line));
    expect(lines[arrow].trim()).toBe(`--> ${declaration}:${fieldLine}:7`);
    expect(lines[arrow + 2]).toBe(`${fieldLine} |       minutes: 5`);
    expect(lines[arrow + 3]).toBe(`${' '.repeat(String(fieldLine).length)} |       ^`);
    expect(rendered).toContain('= fix: fix the declaration and sync again');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    // Repeated among the failures, with where.
    const failed = text.slice(text.indexOf('Failed:\n'));
    expect(failed).toMatch(/^Failed:\n✗ Lab 5: error\[DECLARATION_REJECTED\]: plugin rate-limiting/);
    expect(failed).toContain(`\n    --> ${declaration}:${fieldLine}:7\n`);

    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="labs" tests="1" failures="0" errors="1" skipped="0"/);
    expect(xml).toContain(`<testcase classname="labs.05-rate-limits" name="sync the lab's declaration" time="0.000" file="${declaration}" line="${fieldLine}">`);
    expect(xml).toMatch(new RegExp(`<error message="${declaration}:${fieldLine}:7: [^"]*config\\.minutes: unknown field[^"]*" type="DECLARATION_REJECTED">error\\[DECLARATION_REJECTED\\]: `));
    expect(xml).toContain(`${fieldLine} |       minutes: 5\n${' '.repeat(String(fieldLine).length)} |       ^\n`);
  });

  it('npm run labs: the broken lab fails with its error in --json, the others run', { timeout: 120_000 }, async () => {
    const io = capture(200);
    expect(await runLabsCommand(['--json', ...external()], io), io.err()).toBe(1);
    const report = JSON.parse(io.out()) as JsonReport;
    expect(report.labs.map((lab) => [lab.lab.id, lab.passed, lab.error?.code])).toEqual([
      ['04-consumer2', true, undefined],
      ['05-rate-limits', false, 'DECLARATION_REJECTED'],
    ]);
    expect(report.labs[1].error!.location).toEqual({ file: declaration, line: fieldLine, column: 7 });
    expect(io.err()).toContain(`${fieldLine} |       minutes: 5`);
  });
});

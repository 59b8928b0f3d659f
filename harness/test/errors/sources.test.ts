// Each source of errors the attendee, instructor or docs author meets gives its registry code, the
// code's exit status and the place: a lab file, a declaration, a page, the expected-failures file,
// a command line. (Declarations the gateway refuses, with a did-you-mean from its schema, are in
// harness/test/sync/sync-gateway.test.ts and rejection.test.ts.)

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand, statusCommand } from '../../src/cli/commands/index.js';
import { runLabCommand, type CommandIo } from '../../src/cli/index.js';
import { parseDeclaration } from '../../src/deck/parse-declaration.js';
import { loadExpectedFailures } from '../../src/docs/expected-failures.js';
import { parsePage } from '../../src/docs/page-story.js';
import { LabkitError } from '../../src/errors/labkit-error.js';
import { renderError } from '../../src/errors/render.js';
import { DEFAULT_LABS_DIR } from '../../src/spec/discover.js';

const scratch = mkdtempSync(join(tmpdir(), 'labkit-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function capture(extra: Partial<CommandIo> = {}): CommandIo & { err: () => string } {
  let err = '';
  return {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (err += text) },
    // Wide enough that no line folds: these tests read the rendering line by line.
    env: { LABKIT_STATE_DIR: join(scratch, 'state'), NO_COLOR: '1', COLUMNS: '200' },
    ...extra,
    err: () => err,
  };
}

function thrown(run: () => unknown): LabkitError {
  try {
    run();
  } catch (error) {
    if (error instanceof LabkitError) return error;
    throw error;
  }
  throw new Error('expected a LabkitError');
}

describe('where errors come from', () => {
  it('a broken lab.yaml: LAB_FILE_INVALID, exit 2, at the value, the line quoted with a caret', async () => {
    const labsDir = join(scratch, 'labs');
    cpSync(DEFAULT_LABS_DIR, labsDir, { recursive: true });
    mkdirSync(join(labsDir, '99-x'));
    writeFileSync(join(labsDir, '99-x', 'key-auth.yaml'), '_format_version: "3.0"\n');
    writeFileSync(join(labsDir, '99-x', 'lab.yaml'), 'title: x\nexplanation: y\nchecks:\n  - name: a\n    request: { path: /a }\n    expect: { status: twohundred }\n');
    const io = capture({ labsDir });
    expect(await runLabCommand(['99'], io)).toBe(2);
    const lines = io.err().split('\n');
    expect(lines[0]).toMatch(/^error\[LAB_FILE_INVALID\]: checks\[0\]\.expect\.status: /);
    expect(lines[1]).toMatch(/ --> \S*99-x\/lab\.yaml:6:23$/);
    expect(lines.slice(3, 5)).toEqual(['6 |     expect: { status: twohundred }', '  |                       ^']);
    expect(io.err()).toContain('= fix: fix the lab file; its format is described in labs/README.md');
  });

  it('a declaration that is not YAML: DECLARATION_INVALID, exit 2, where the parser stopped', () => {
    const error = thrown(() => parseDeclaration('_format_version: "3.0"\nservices:\n- name: a\n  host: h\n port: 80\n', 'kong.yaml'));
    expect(error).toMatchObject({ code: 'DECLARATION_INVALID', exitCode: 2, location: { file: 'kong.yaml', line: 5 } });
    expect(error.problem).toMatch(/^invalid YAML: bad indentation/);
  });

  it('a broken page: PAGE_INVALID, exit 2, at its line; the whole line is underlined', () => {
    const page = ['---', 'title: x', '---', '', '{{<highlight>}}', 'curl -s $DATA_PLANE_LB/a', ''].join('\n');
    const error = thrown(() => parsePage(page, 'content/x.md'));
    expect(error).toMatchObject({ code: 'PAGE_INVALID', exitCode: 2, location: { file: 'content/x.md', line: 5 } });
    expect(error.problem).toMatch(/never closed/);
    const rendered = renderError(error, { color: false, readSource: () => page });
    expect(rendered.split('\n').slice(1, 5)).toEqual([' --> content/x.md:5', '  |', '5 | {{<highlight>}}', '  | ^^^^^^^^^^^^^^^']);
  });

  it('a bad expected-failures entry: EXPECTED_FAILURES_INVALID, exit 2, at the field', () => {
    const path = join(scratch, 'expected.yaml');
    writeFileSync(path, 'expected_failures:\n  - page: content/p.md\n    block: 4\n    message: ""\n    reason: r\n');
    const error = thrown(() => loadExpectedFailures(path));
    expect(error).toMatchObject({ code: 'EXPECTED_FAILURES_INVALID', exitCode: 2, location: { file: path, line: 4, column: 14 } });
    expect(error.problem).toBe("expected_failures[0].message must be the drift's exact message");
  });

  it('a wrong command line: USAGE, exit 2, the problem first and the usage after it', async () => {
    const status = capture();
    expect(await runCommand(statusCommand, ['--bogus'], status)).toBe(2);
    expect(status.err()).toMatch(/^error\[USAGE\]: Unknown option '--bogus'.*\n {2}Usage: npm run status/);
    expect(status.err()).toMatch(/\n = fix: see the command's --help\n$/);
    const lab = capture();
    expect(await runLabCommand(['3', 'and-more'], lab)).toBe(2);
    expect(lab.err()).toMatch(/^error\[USAGE\]: Give exactly one lab, by number or slug \(got 3 and-more\)\.\n/);
    const unknown = capture();
    expect(await runLabCommand(['consumer9'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^error\[LAB_UNKNOWN\]: unknown lab "consumer9"\n/);
    expect(unknown.err()).toMatch(/= fix: did you mean consumer1 \(npm run lab 3\)/);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabkitError } from '../../src/errors/labkit-error.js';
import { renderError, renderExcerpt, writeError } from '../../src/errors/render.js';

const source = ['title: x', 'checks:', '  - name: first', '    expect:', '      status: two hundred', '\tkey:\tvalue', ''].join('\n');
const files: Record<string, string> = { '/repo/labs/01-x/lab.yaml': source };
const options = { color: false, root: '/repo', readSource: (file: string) => files[file] };

function labError(line: number, column: number | undefined, extra: Partial<ConstructorParameters<typeof LabkitError>[1]> = {}): LabkitError {
  return new LabkitError('LAB_FILE_INVALID', { problem: 'checks[0].expect.status: must be a number', location: { file: '/repo/labs/01-x/lab.yaml', line, column }, ...extra });
}

describe('renderError', () => {
  it('prints the code and problem, the repository-relative file:line:column, the source line with a caret under the column, and the fix', () => {
    expect(renderError(labError(5, 15), options).split('\n')).toEqual([
      'error[LAB_FILE_INVALID]: checks[0].expect.status: must be a number',
      ' --> labs/01-x/lab.yaml:5:15',
      '  |',
      '5 |       status: two hundred',
      '  |               ^',
      '  |',
      '  = fix: fix the lab file; its format is described in labs/README.md (editors can use labs/lab.schema.json)',
    ]);
  });

  it('keeps tabs before the caret, so it lines up however wide tabs are drawn', () => {
    const lines = renderError(labError(6, 6), options).split('\n');
    expect(lines[3]).toBe('6 | \tkey:\tvalue');
    expect(lines[4]).toBe('  | \t    ^');
  });

  it('underlines the whole line when only the line is known (a page block)', () => {
    const lines = renderError(labError(3, undefined), options).split('\n');
    expect(lines[1]).toBe(' --> labs/01-x/lab.yaml:3');
    expect(lines[4]).toBe('  |   ^^^^^^^^^^^^^');
  });

  it('without a location prints the problem and the fix only; an unreadable file drops only the quoted line', () => {
    const unlocated = new LabkitError('USAGE', { problem: 'unknown option --bogus', fix: 'see npm run lab -- --help' });
    expect(renderError(unlocated, options)).toBe('error[USAGE]: unknown option --bogus\n = fix: see npm run lab -- --help');
    const elsewhere = new LabkitError('DECLARATION_INVALID', { problem: 'invalid YAML', location: { file: '/elsewhere/kong.yaml', line: 2, column: 1 } });
    expect(renderError(elsewhere, options)).toBe('error[DECLARATION_INVALID]: invalid YAML\n --> /elsewhere/kong.yaml:2:1\n  = fix: fix the declaration and sync again');
  });

  it('prints every further problem as its own block, then notes and the details', () => {
    const error = labError(5, 15, { also: [{ problem: 'title: too short', location: { file: '/repo/labs/01-x/lab.yaml', line: 1, column: 8 } }], notes: ['lab 1 was not run'], detail: 'a log line' });
    const text = renderError(error, options);
    expect(text).toContain('error[LAB_FILE_INVALID]: title: too short\n --> labs/01-x/lab.yaml:1:8\n  |\n1 | title: x\n  |        ^\n');
    expect(text.endsWith('  a log line\n  = note: lab 1 was not run\n  = fix: fix the lab file; its format is described in labs/README.md (editors can use labs/lab.schema.json)')).toBe(true);
  });

  it('pads the gutter to the widest line number', () => {
    const long = { '/repo/k.yaml': `${'a: 1\n'.repeat(11)}b: oops\n` };
    const text = renderError(new LabkitError('DECLARATION_INVALID', { problem: 'p', location: { file: '/repo/k.yaml', line: 12, column: 4 } }), { ...options, readSource: (file) => long[file as keyof typeof long] });
    expect(text.split('\n').slice(1, 5)).toEqual(['  --> k.yaml:12:4', '   |', '12 | b: oops', '   |    ^']);
  });

  it('reads the file from disk by default, relative to the root', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const error = new LabkitError('LAB_FILE_INVALID', { problem: 'p', location: { file: join(root, 'labs/03-consumer1/lab.yaml'), line: 1, column: 1 } });
    const text = renderError(error, { color: false, root });
    expect(text).toMatch(/ --> labs\/03-consumer1\/lab\.yaml:1:1\n {2}\|\n1 \| \S/);
    expect(renderExcerpt({ file: 'labs/03-consumer1/lab.yaml', line: 1, column: 1 }, { color: false, root })).toHaveLength(4);
  });
});

describe('writeError', () => {
  const stream = (isTTY: boolean) => {
    let written = '';
    return { isTTY, write: (text: string) => (written += text), text: () => written };
  };

  it('colours on a terminal, not with NO_COLOR or when the output is not a terminal', () => {
    const error = labError(5, 15);
    const tty = stream(true);
    writeError(tty, {}, error);
    expect(tty.text()).toContain('\u001b[31m');
    const noColor = stream(true);
    writeError(noColor, { NO_COLOR: '1' }, error);
    const piped = stream(false);
    writeError(piped, {}, error);
    for (const plain of [noColor.text(), piped.text()]) {
      expect(plain).not.toContain('\u001b[');
      expect(plain).toMatch(/^error\[LAB_FILE_INVALID\]: /);
      expect(plain.endsWith('\n')).toBe(true);
    }
  });
});

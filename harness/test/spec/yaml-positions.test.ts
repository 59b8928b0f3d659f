import { describe, expect, it } from 'vitest';
import { LabSpecError } from '../../src/spec/errors.js';
import { parseYamlWithPositions } from '../../src/spec/yaml-positions.js';

const text = [
  'title: Hello', //                1
  'checks:', //                     2
  '  - name: first   # a comment', // 3
  '    request: { method: GET, path: "/x" }', // 4
  '    expect:', //                 5
  '      headers:', //              6
  '        Via:', //                7
  '          matches: ^1', //       8
  '  -', //                         9
  '    name: second', //           10
  'empty:', //                     11
  'list: [1, 2]', //               12
  '',
].join('\n');

describe('parseYamlWithPositions', () => {
  const document = parseYamlWithPositions(text, 'lab.yaml');

  it('loads the value as js-yaml does', () => {
    expect(document.value).toMatchObject({ title: 'Hello', empty: null, list: [1, 2] });
  });

  it('locates values and keys, 1-based', () => {
    expect(document.positionOf(['title'])).toEqual({ file: 'lab.yaml', line: 1, column: 8 });
    expect(document.keyPositionOf(['title'])).toEqual({ file: 'lab.yaml', line: 1, column: 1 });
    expect(document.positionOf(['checks', 0, 'name'])).toMatchObject({ line: 3, column: 11 });
    expect(document.keyPositionOf(['checks', 0, 'expect', 'headers', 'Via'])).toMatchObject({ line: 7, column: 9 });
    expect(document.positionOf(['checks', 0, 'expect', 'headers', 'Via', 'matches'])).toMatchObject({ line: 8, column: 20 });
  });

  it('locates entries of flow mappings and sequences', () => {
    expect(document.positionOf(['checks', 0, 'request', 'path'])).toMatchObject({ line: 4, column: 35 });
    expect(document.positionOf(['list', 1])).toMatchObject({ line: 12, column: 11 });
  });

  it('puts a sequence item that starts on the next line at its first key', () => {
    expect(document.positionOf(['checks', 1])).toMatchObject({ line: 10, column: 5 });
  });

  it('keeps an empty value on its own line', () => {
    expect(document.positionOf(['empty'])).toMatchObject({ line: 11 });
  });

  it('falls back to the nearest known ancestor for paths that do not exist', () => {
    expect(document.positionOf(['checks', 0, 'expect', 'nothing', 'here'])).toMatchObject({ line: 6, column: 7 });
  });

  it('reports syntax errors with file:line:column', () => {
    let error: unknown;
    try {
      parseYamlWithPositions('title: x\nchecks:\n  - name: [unclosed\n', 'broken.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LabSpecError);
    const issue = (error as LabSpecError).issues[0];
    expect(issue.position.file).toBe('broken.yaml');
    expect(issue.position.line).toBeGreaterThanOrEqual(3);
    expect(issue.message).toMatch(/^YAML syntax error: /);
    expect((error as LabSpecError).message).toMatch(/broken\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('reports duplicate keys as js-yaml does', () => {
    expect(() => parseYamlWithPositions('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml:2:\d+: YAML syntax error: duplicated mapping key/);
  });

  it('ignores a byte-order mark', () => {
    const withBom = parseYamlWithPositions('\ufefftitle: x\n', 'bom.yaml');
    expect(withBom.positionOf(['title'])).toMatchObject({ line: 1, column: 8 });
  });
});

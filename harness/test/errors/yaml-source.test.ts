import { describe, expect, it } from 'vitest';
import { LabkitError } from '../../src/errors/labkit-error.js';
import { readYamlSource } from '../../src/errors/yaml-source.js';

const parseYamlWithPositions = (text: string, file: string) =>
  readYamlSource(text, file, ({ problem, location }) => new LabkitError('LAB_FILE_INVALID', { problem, location }));

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

describe('readYamlSource', () => {
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
    expect(error).toBeInstanceOf(LabkitError);
    const { location, problem, code } = error as LabkitError;
    expect(code).toBe('LAB_FILE_INVALID');
    expect(location?.file).toBe('broken.yaml');
    expect(location?.line).toBeGreaterThanOrEqual(3);
    expect(problem).toMatch(/^YAML syntax error: /);
    expect((error as LabkitError).message).toMatch(/broken\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('reports duplicate keys as js-yaml does', () => {
    expect(() => parseYamlWithPositions('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml:2:\d+: YAML syntax error: duplicated mapping key/);
  });

  it('finds exact paths only with find, and objects of the loaded value by identity', () => {
    expect(document.find(['checks', 0, 'expect', 'nothing'])).toBeUndefined();
    expect(document.find(['checks', 0, 'name'], 'key')).toMatchObject({ line: 3, column: 5 });
    const checks = (document.value as { checks: object[] }).checks;
    expect(document.positionOfNode(checks[0])).toMatchObject({ line: 3, column: 5 });
    expect(document.positionOfNode(checks[1])).toMatchObject({ line: 10, column: 5 });
    expect(document.positionOfNode({})).toBeUndefined();
  });

  it('locates JSON as well, and an alias where it is written without walking into it', () => {
    const json = readYamlSource('{\n  "services": [\n    {"name": "a"}\n  ]\n}\n', 'kong.json', () => new Error('unexpected'));
    expect(json.positionOf(['services', 0, 'name'])).toMatchObject({ line: 3, column: 14 });
    expect(json.keyPositionOf(['services'])).toMatchObject({ line: 2, column: 3 });
    const aliased = readYamlSource('base: &b {x: 1}\nother: *b\n', 'a.yaml', () => new Error('unexpected'));
    expect(aliased.positionOf(['other'])).toMatchObject({ line: 2, column: 8 });
    expect(aliased.positionOf(['other', 'x'])).toMatchObject({ line: 2, column: 8 });
    expect(aliased.positionOfNode((aliased.value as { other: object }).other)).toMatchObject({ line: 1, column: 10 });
  });

  it('ignores a byte-order mark', () => {
    const withBom = parseYamlWithPositions('\ufefftitle: x\n', 'bom.yaml');
    expect(withBom.positionOf(['title'])).toMatchObject({ line: 1, column: 8 });
  });
});

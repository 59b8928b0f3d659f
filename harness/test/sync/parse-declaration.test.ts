import { describe, expect, it } from 'vitest';
import { parseDeclaration } from '../../src/deck/parse-declaration.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';
import { syncErrorOf } from './pure-sync.js';


describe('parseDeclaration', () => {
  it('reports a YAML syntax error with file:line:column and the reason', () => {
    const text = ['_format_version: "3.0"', 'services:', '- name: a', '  host: h', ' port: 80', ''].join('\n');
    const error = syncErrorOf(() => parseDeclaration(text, 'key-auth.yaml'));
    expect(error.source).toBe('key-auth.yaml');
    expect(error.line).toBe(5);
    expect(error.column).toBeGreaterThan(0);
    expect(error.message).toMatch(/^key-auth\.yaml:5:\d+: invalid YAML: /);
    expect(error.message).toContain('bad indentation');
  });

  it('reports a duplicated key where it is', () => {
    const text = ['_format_version: "3.0"', 'services:', '- name: a', '  name: b', ''].join('\n');
    const error = syncErrorOf(() => parseDeclaration(text, 'dup.yaml'));
    expect(error.line).toBe(4);
    expect(error.message).toContain('duplicated mapping key');
  });

  it('knows where each nested entity starts', () => {
    const parsed = parseDeclaration(WORKSHOP_STEPS[3], 'key-auth.yaml');
    const doc = parsed.document as any;
    expect(parsed.positionOf(doc.services[0])).toEqual({ file: 'key-auth.yaml', line: 8, column: 3 });
    expect(parsed.positionOf(doc.services[0].routes[0])).toEqual({ file: 'key-auth.yaml', line: 12, column: 5 });
    expect(parsed.positionOf(doc.services[0].plugins[0])).toEqual({ file: 'key-auth.yaml', line: 16, column: 5 });
    expect(parsed.positionOf(doc.consumers[0].keyauth_credentials[0])).toEqual({ file: 'key-auth.yaml', line: 20, column: 5 });
    expect(parsed.positionOf(doc.consumers[1].plugins[0])).toEqual({ file: 'key-auth.yaml', line: 31, column: 5 });
    expect(parsed.keyPosition('_info')).toEqual({ file: 'key-auth.yaml', line: 4, column: 1 });
  });

  it('reads JSON as well (JSON is YAML)', () => {
    const parsed = parseDeclaration('{\n  "_format_version": "3.0",\n  "services": [\n    {"name": "a", "host": "h"}\n  ]\n}\n', 'kong.json');
    expect((parsed.document as any).services[0].name).toBe('a');
    expect(parsed.positionOf((parsed.document as any).services[0])).toEqual({ file: 'kong.json', line: 4, column: 5 });
    expect(parsed.keyPosition('_format_version')).toEqual({ file: 'kong.json', line: 2, column: 3 });
  });

  it('refuses an empty file and a top-level list', () => {
    expect(syncErrorOf(() => parseDeclaration('# nothing\n', 'empty.yaml')).message).toContain('the declaration is empty');
    expect(syncErrorOf(() => parseDeclaration('- a\n- b\n', 'list.yaml')).message).toContain('must be a mapping');
  });
});

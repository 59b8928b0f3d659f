import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_SCHEMA_PATH } from '../../src/spec/lab-file.js';
import { SchemaValidator } from '../../src/spec/schema-validator.js';

describe('SchemaValidator', () => {
  it('interprets labs/lab.schema.json, a draft-07 schema editors can use', () => {
    const schema = JSON.parse(readFileSync(LAB_SCHEMA_PATH, 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const validator = new SchemaValidator(schema);
    expect(validator.validate({ title: 't', explanation: 'e', checks: [{ name: 'n', request: { path: '/' }, expect: { status: 200 } }] })).toEqual([]);
  });

  it('refuses a keyword it does not implement, so schema and harness cannot drift apart', () => {
    const validator = new SchemaValidator({ type: 'object', patternProperties: { '^x': { type: 'string' } } });
    expect(() => validator.validate({})).toThrow(/uses "patternProperties", which the harness's schema validator does not implement/);
  });

  it('checks numbers, lengths, list sizes and constants', () => {
    const validator = new SchemaValidator({
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 1, maximum: 30 },
        s: { type: 'string', minLength: 1 },
        l: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
        c: { const: true },
      },
    });
    expect(validator.validate({ n: 31, s: '', l: [1], c: false }).map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['n', 'expected a number from 1 to 30, got 31'],
      ['s', 'expected a non-empty string'],
      ['l', 'expected exactly 2 items, got 1'],
      ['c', 'expected true, got false'],
    ]);
  });

  it('reports the alternative meant for the kind of value given', () => {
    const validator = new SchemaValidator({
      definitions: { obj: { title: 'a mapping with x', type: 'object', additionalProperties: false, properties: { x: { type: 'string' } } } },
      anyOf: [{ title: 'a plain string', type: 'string' }, { $ref: '#/definitions/obj' }],
    });
    expect(validator.validate('ok')).toEqual([]);
    expect(validator.validate({ x: 1 })).toEqual([{ path: ['x'], at: 'value', message: 'expected a string, got the number 1 (quote it: "1")' }]);
    expect(validator.validate([1])).toEqual([{ path: [], at: 'value', message: 'expected a plain string or a mapping with x, got a list' }]);
  });

  it('checks field names', () => {
    const validator = new SchemaValidator({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } });
    expect(validator.validate({ 'Bad Name': 1 })).toEqual([
      { path: ['Bad Name'], at: 'key', message: 'field name: "Bad Name" does not have the expected form /^[a-z]+$/' },
    ]);
  });
});

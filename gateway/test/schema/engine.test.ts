import { describe, expect, it } from 'vitest';
import { processAndValidate, processAutoFields, validateField } from '../../src/schema/engine.js';
import { errorTreeToJson, luaPretty } from '../../src/schema/error-tree.js';
import type { FieldDef, RecordDef } from '../../src/schema/types.js';

describe('validateField: types and messages', () => {
  it.each<[FieldDef, unknown, string]>([
    [{ type: 'string' }, 1, 'expected a string'],
    [{ type: 'string' }, '', 'length must be at least 1'],
    [{ type: 'integer' }, 1.5, 'expected an integer'],
    [{ type: 'integer' }, '1', 'expected an integer'],
    [{ type: 'number' }, 'x', 'expected a number'],
    [{ type: 'boolean' }, 'true', 'expected a boolean'],
    [{ type: 'array', elements: { type: 'string' } }, 'x', 'expected an array'],
    [{ type: 'set', elements: { type: 'string' } }, 'x', 'expected a set'],
    [{ type: 'map', keys: { type: 'string' }, values: { type: 'string' } }, 'x', 'expected a map'],
    [{ type: 'record', fields: [] }, 'x', 'expected a record'],
    [{ type: 'string', one_of: ['a', 'b'] }, 'c', 'expected one of: a, b'],
    [{ type: 'integer', between: [0, 65535] }, 70000, 'value should be between 0 and 65535'],
    [{ type: 'number', gt: 0 }, 0, 'value must be greater than 0'],
    [{ type: 'string', starts_with: '/' }, 'x', 'should start with: /'],
    [{ type: 'string', match: /^[A-Z]+$/ }, 'get', 'invalid value: get'],
    [{ type: 'foreign', reference: 'consumers', eq: null }, { id: '0855b320-0dd2-547d-891d-601e9b38647f' }, 'value must be null'],
    [{ type: 'string', required: true }, null, 'required field missing'],
    [{ type: 'string', custom_validator: (v: string) => (v === 'bad' ? 'no good' : null) }, 'bad', 'no good'],
    [{ type: 'string', one_of: ['a'], err: 'custom message' }, 'b', 'custom message'],
  ])('%j with %j → %s', (field, value, message) => {
    expect(validateField(field, value)).toBe(message);
  });

  it('reports array elements by 1-based position', () => {
    expect(validateField({ type: 'array', elements: { type: 'string' } }, ['a', 1, true])).toEqual({ '2': 'expected a string', '3': 'expected a string' });
  });

  it('accepts null for optional fields and an empty object as an empty array (one Lua table)', () => {
    expect(validateField({ type: 'string' }, null)).toBeNull();
    expect(validateField({ type: 'array', elements: { type: 'string' } }, {})).toBeNull();
  });
});

const record: RecordDef = {
  type: 'record',
  fields: [
    ['name', { type: 'string', required: true }],
    ['size', { type: 'integer', default: 5 }],
    ['note', { type: 'string' }],
    ['tags', { type: 'set', elements: { type: 'string' } }],
    [
      'nested',
      {
        type: 'record',
        required: true,
        fields: [
          ['flag', { type: 'boolean', default: false }],
          ['label', { type: 'string' }],
        ],
      },
    ],
  ],
  entity_checks: [{ at_least_one_of: ['note', 'tags'] }],
};

describe('processAutoFields and validateRecord', () => {
  it('fills defaults, nulls for unset optional fields and expands required records', () => {
    const result = processAutoFields(record, { name: 'x', tags: ['a', 'a', 'b'] });
    expect(result).toEqual({
      ok: true,
      value: { name: 'x', size: 5, note: null, tags: ['a', 'b'], nested: { flag: false, label: null } },
    });
  });

  it('reports unknown fields, missing required ones and entity checks', () => {
    const { errors } = processAndValidate(record, { surprise: 1 });
    expect(errors).toEqual({
      surprise: 'unknown field',
      name: 'required field missing',
      '@entity': { '1': "at least one of these fields must be non-empty: 'note', 'tags'" },
    });
  });

  it('nests the errors of records', () => {
    const { errors } = processAndValidate(record, { name: 'x', note: 'n', nested: { flag: 'no', other: 1 } });
    expect(errors).toEqual({ nested: { flag: 'expected a boolean', other: 'unknown field' } });
  });

  it('runs conditional checks like Kong (then-field error plus an entity error)', () => {
    const def: RecordDef = {
      type: 'record',
      fields: [
        ['mode', { type: 'string', default: 'a' }],
        ['extra', { type: 'string' }],
      ],
      entity_checks: [{ conditional: { if_field: 'mode', if_match: { eq: 'b' }, then_field: 'extra', then_match: { required: true } } }],
    };
    expect(processAndValidate(def, { mode: 'a' }).errors).toBeNull();
    expect(processAndValidate(def, { mode: 'b' }).errors).toEqual({
      extra: 'required field missing',
      '@entity': { '1': "failed conditional validation given value of field 'mode'" },
    });
  });

  it('checks only_one_of and mutually_required', () => {
    const def: RecordDef = {
      type: 'record',
      fields: [
        ['a', { type: 'string' }],
        ['b', { type: 'string' }],
      ],
      entity_checks: [{ only_one_of: ['a', 'b'] }],
    };
    expect(processAndValidate(def, { a: 'x', b: 'y' }).errors).toEqual({ '@entity': { '1': "exactly one of these fields must be non-empty: 'a', 'b'" } });
    const both: RecordDef = { ...def, entity_checks: [{ mutually_required: ['a', 'b'] }] };
    expect(processAndValidate(both, { a: 'x' }).errors).toEqual({ '@entity': { '1': "all or none of these fields must be set: 'a', 'b'" } });
  });
});

describe('error tables', () => {
  it('become JSON like cjson makes it: sparse positions are arrays with nulls', () => {
    expect(errorTreeToJson({ services: { '2': 'dup' }, consumers: { bar: 'x' }, '@entity': { '1': 'e' } })).toEqual({
      services: [null, 'dup'],
      consumers: { bar: 'x' },
      '@entity': ['e'],
    });
  });

  it('pretty-print like penlight for the message', () => {
    expect(luaPretty({ services: { '2': 'dup' } })).toBe('{services={[2]="dup"}}');
    expect(luaPretty({ services: { '1': { port: 'p', host: 'h' } } })).toBe('{services={{host="h",port="p"}}}');
  });
});

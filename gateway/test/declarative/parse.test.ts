import { describe, expect, it } from 'vitest';
import { DeclarativeConfigError } from '../../src/declarative/errors.js';
import { parseDeclarativeText } from '../../src/declarative/parse.js';

describe('parseDeclarativeText', () => {
  it('reads JSON', () => {
    expect(parseDeclarativeText('{"_format_version":"3.0","consumers":[{"username":"bobby"}]}')).toEqual({
      _format_version: '3.0',
      consumers: [{ username: 'bobby' }],
    });
  });

  it('reads YAML, keeping quoted numbers as strings', () => {
    expect(parseDeclarativeText('_format_version: "3.0"\nconsumers:\n- username: a\n  keyauth_credentials:\n  - key: "123456"\n')).toEqual({
      _format_version: '3.0',
      consumers: [{ username: 'a', keyauth_credentials: [{ key: '123456' }] }],
    });
  });

  it('returns non-objects as they are (the loader refuses them)', () => {
    expect(parseDeclarativeText('bobby tables')).toBe('bobby tables');
    expect(parseDeclarativeText('')).toBeNull();
  });

  it('throws the Kong parse error body for text that is neither JSON nor YAML', () => {
    let caught: unknown;
    try {
      parseDeclarativeText('services: [');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DeclarativeConfigError);
    const body = (caught as DeclarativeConfigError).body;
    expect(body.code).toBe(14);
    expect(body.name).toBe('invalid declarative configuration');
    expect(Object.keys(body.fields)).toEqual(['error']);
    expect(body.fields.error).toMatch(/^failed parsing declarative configuration: /);
    expect(body.message).toBe(`declarative config is invalid: {error="${body.fields.error as string}"}`);
  });
});

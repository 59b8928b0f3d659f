import { describe, expect, it } from 'vitest';
import { renderFieldDiff } from '../../src/deck/field-diff.js';
import { rejectionError, unknownFieldSchemas } from '../../src/deck/rejection.js';
import { pureSync } from './pure-sync.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

describe("mapping the gateway's 400 back to the file", () => {
  it('lists flattened_errors as `entity_type name: field: message`, each at its file:line:column', () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[3]);
    const body = {
      code: 14,
      name: 'invalid declarative configuration',
      message: 'declarative config is invalid: …',
      fields: {},
      flattened_errors: [
        {
          entity_type: 'plugin',
          entity_name: 'key-auth',
          entity: { name: 'key-auth', instance_name: 'key-auth1', tags: ['httpbin-service-route'], service: { id: 'x' } },
          errors: [{ type: 'field', field: 'config.foo', message: 'unknown field' }],
        },
        {
          entity_type: 'keyauth_credential',
          entity: { key: '987654', tags: ['httpbin-service-route'] },
          errors: [{ type: 'entity', message: 'uniqueness violation' }],
        },
      ],
    };
    const error = rejectionError(400, body, { source: 'key-auth.yaml', positionOf: parsed.positionOf, plan });
    expect(error.line).toBe(16);
    expect(error.column).toBe(5);
    expect(error).toMatchObject({ code: 'DECLARATION_REJECTED', exitCode: 2, problem: 'plugin key-auth for service httpbin-service: config.foo: unknown field' });
    expect(error.message.split('\n')).toEqual([
      'key-auth.yaml:16:5: plugin key-auth for service httpbin-service: config.foo: unknown field',
      'key-auth.yaml:28:5: keyauth_credential 87654 for consumer consumer2: uniqueness violation',
      'the gateway rejected the configuration (HTTP 400: invalid declarative configuration); its running configuration is unchanged',
    ]);
  });

  it("points at an unknown field itself and suggests the schema's closest name", () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[3].replace('minute: 5', 'minut: 5'));
    const body = {
      name: 'invalid declarative configuration',
      flattened_errors: [
        {
          entity_type: 'plugin',
          entity: { name: 'rate-limiting', instance_name: 'rate-limiting1' },
          errors: [{ type: 'field', field: 'config.minut', message: 'unknown field' }],
        },
      ],
    };
    expect(unknownFieldSchemas(body)).toEqual(['plugins/rate-limiting']);
    const schema = { fields: [{ consumer: { type: 'foreign' } }, { config: { type: 'record', fields: [{ second: {} }, { minute: {} }, { hour: {} }] } }] };
    const context = { source: 'key-auth.yaml', positionOf: parsed.positionOf, fieldPosition: parsed.fieldPosition, plan };
    const error = rejectionError(400, body, { ...context, schemas: new Map([['plugins/rate-limiting', schema]]) });
    const line = WORKSHOP_STEPS[3].split('\n').findIndex((text) => text.includes('minute: 5')) + 1;
    expect(error.location).toEqual({ file: 'key-auth.yaml', line, column: 7 });
    expect(error.problem).toMatch(/^plugin rate-limiting for consumer consumer1: config\.minut: unknown field \(did you mean "minute"\?\)$/);
    // Without the schema there is nothing to suggest, and nothing made up.
    expect(rejectionError(400, body, context).problem).not.toContain('did you mean');
  });

  it('locates errors Kong leaves in `fields` by walking the declaration', () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[0]);
    const error = rejectionError(
      400,
      { name: 'invalid declarative configuration', fields: { services: [{ routes: [{ paths: ['should start with: /'] }] }], _bogus: 'unknown field' } },
      { source: 'key-auth.yaml', positionOf: parsed.positionOf, keyPosition: parsed.keyPosition, plan },
    );
    expect(error.message).toContain('key-auth.yaml:14:5: services[0].routes[0].paths: should start with: /');
    // An unknown field is the likeliest cause of the rest: it comes first.
    expect(error.message.split('\n')[0]).toBe('key-auth.yaml: _bogus: unknown field');
  });

  it('quotes a plain message when there is nothing else', () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[0]);
    const error = rejectionError(400, { message: 'expected a declarative configuration' }, { source: 'k.yaml', positionOf: parsed.positionOf, plan });
    expect(error.problem).toBe('k.yaml: expected a declarative configuration');
    expect(error.line).toBeUndefined();
  });
});

describe('the field diff of an update', () => {
  it('masks secrets whatever their value', () => {
    const diff = renderFieldDiff({ id: 'i', key: 'old-secret-key', config: { password: 'a' } }, { id: 'i', key: 'new-secret-key', config: { password: 'b' } });
    expect(diff).not.toMatch(/secret-key|"a"|"b"/);
    expect(diff).toBe(
      ['{', '   "config": {', '-    "password": "[masked]"', '+    "password": "[masked]"', '   },', '   "id": "i",', '-  "key": "[masked]"', '+  "key": "[masked]"', ' }'].join('\n'),
    );
  });
});

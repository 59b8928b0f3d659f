import { describe, expect, it } from 'vitest';
import { renderFieldDiff } from '../../src/deck/field-diff.js';
import { rejectionError } from '../../src/deck/rejection.js';
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
    expect(error.message.split('\n')).toEqual([
      'key-auth.yaml: the gateway rejected the configuration (HTTP 400: invalid declarative configuration); its running configuration is unchanged:',
      '  key-auth.yaml:16:5: plugin key-auth for service httpbin-service: config.foo: unknown field',
      '  key-auth.yaml:28:5: keyauth_credential 87654 for consumer consumer2: uniqueness violation',
      'Fix the declaration and sync again.',
    ]);
  });

  it('locates errors Kong leaves in `fields` by walking the declaration', () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[0]);
    const error = rejectionError(
      400,
      { name: 'invalid declarative configuration', fields: { services: [{ routes: [{ paths: ['should start with: /'] }] }], _bogus: 'unknown field' } },
      { source: 'key-auth.yaml', positionOf: parsed.positionOf, keyPosition: parsed.keyPosition, plan },
    );
    expect(error.message).toContain('  key-auth.yaml:14:5: services[0].routes[0].paths: should start with: /');
    expect(error.message).toContain('  _bogus: unknown field');
  });

  it('quotes a plain message when there is nothing else', () => {
    const { plan, parsed } = pureSync(WORKSHOP_STEPS[0]);
    const error = rejectionError(400, { message: 'expected a declarative configuration' }, { source: 'k.yaml', positionOf: parsed.positionOf, plan });
    expect(error.message).toContain('  expected a declarative configuration');
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

import { describe, expect, it } from 'vitest';
import { readDeclarationMeta } from '../../src/deck/declaration-meta.js';
import { SyncError } from '../../src/deck/errors.js';
import { parseDeclaration } from '../../src/deck/parse-declaration.js';
import { applyDefaults, mergeTags, prepareDeclaration } from '../../src/deck/prepare-declaration.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

function prepare(text: string) {
  const parsed = parseDeclaration(text, 'kong.yaml');
  return prepareDeclaration(parsed, readDeclarationMeta(parsed));
}

describe('prepareDeclaration', () => {
  it('removes _konnect and _info and keeps everything else for the gateway', () => {
    const { document } = prepare(WORKSHOP_STEPS[3]);
    expect(Object.keys(document)).toEqual(['_format_version', 'services', 'consumers']);
  });

  it('merges the select tags into every entity, nested ones included', () => {
    const { entities } = prepare(WORKSHOP_STEPS[3]);
    expect(entities.map((entity) => entity.collection)).toEqual([
      'services',
      'routes',
      'plugins',
      'consumers',
      'plugins',
      'keyauth_credentials',
      'consumers',
      'plugins',
      'keyauth_credentials',
    ]);
    for (const { entity } of entities) expect(entity.tags).toEqual(['httpbin-service-route']);
  });

  it("adds a select tag once, after the entity's own tags", () => {
    const entity: Record<string, unknown> = { tags: ['mine', 'shared'] };
    mergeTags(entity, ['shared', 'scope']);
    expect(entity.tags).toEqual(['mine', 'shared', 'scope']);
    const malformed: Record<string, unknown> = { tags: 'oops' };
    mergeTags(malformed, ['scope']);
    expect(malformed.tags).toBe('oops');
  });

  it("fills _info.defaults where the entity says nothing: the entity's value wins", () => {
    const { document } = prepare(
      [
        '_format_version: "3.0"',
        '_info:',
        '  defaults:',
        '    service: { port: 8080, retries: 2 }',
        '    route: { strip_path: false }',
        'services:',
        '- name: a',
        '  host: h',
        '  port: 9000',
        '  routes:',
        '  - name: r',
        '    paths: [/r]',
        '- name: b',
        '  host: h',
        '',
      ].join('\n'),
    );
    const services = document.services as Array<Record<string, any>>;
    expect(services[0]).toMatchObject({ port: 9000, retries: 2 });
    expect(services[0].routes[0]).toMatchObject({ strip_path: false });
    expect(services[1]).toMatchObject({ port: 8080, retries: 2 });
    const entity: Record<string, unknown> = { enabled: false };
    applyDefaults(entity, { enabled: true });
    expect(entity.enabled).toBe(false);
  });

  it('points at a collection that is not a list', () => {
    try {
      prepare('_format_version: "3.0"\nservices:\n  name: a\n');
      throw new Error('expected a SyncError');
    } catch (err) {
      expect(err).toBeInstanceOf(SyncError);
      expect((err as SyncError).message).toContain('services must be a list');
      expect((err as SyncError).line).toBe(3);
    }
  });
});

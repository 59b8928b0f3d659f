import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { configToKongFlat, exportDeclarativeYaml, loadDeclarativeConfig } from '../../src/declarative/load.js';
import type { FlatConfig } from '../../src/declarative/entities.js';
import { consumerRateLimits, withoutDeckKeys } from './workshop-declarations.js';

function load(input: unknown): FlatConfig {
  const result = loadDeclarativeConfig(input, { now: 1_700_000_000_000 });
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

describe('configToKongFlat (POST /config 201 body)', () => {
  it('keys entities by id per collection and leaves empty collections out', () => {
    const config = load(withoutDeckKeys(consumerRateLimits));
    const flat = configToKongFlat(config);
    expect(Object.keys(flat)).toEqual(['services', 'routes', 'consumers', 'plugins', 'keyauth_credentials']);
    const route = config.routes[0];
    expect(flat.routes[route.id]).toEqual(route);
    const credential = config.keyauth_credentials[0];
    // ttl only appears when set
    expect(flat.keyauth_credentials[credential.id]).toEqual({
      id: credential.id,
      consumer: credential.consumer,
      key: '123456',
      tags: null,
      created_at: 1_700_000_000,
    });
  });
});

describe('exportDeclarativeYaml (GET /config)', () => {
  it('writes format 3.0, _transform false, nulls and foreign keys as ids', () => {
    const config = load({
      _format_version: '3.0',
      consumers: [{ username: 'bobo', id: 'd885e256-1abe-5e24-80b6-8f68fe59ea8e', created_at: 1566863706 }],
    });
    const exported = yaml.load(exportDeclarativeYaml(config, '3.11.0.0')) as Record<string, unknown>;
    expect(exported).toEqual({
      _format_version: '3.0',
      _transform: false,
      consumers: [{ id: 'd885e256-1abe-5e24-80b6-8f68fe59ea8e', username: 'bobo', custom_id: null, tags: null, created_at: 1566863706, updated_at: 1_700_000_000 }],
    });
  });

  it('loads back to the same entities (hashed passwords stay hashed)', () => {
    const config = load({
      _format_version: '3.0',
      services: [{ name: 's', url: 'http://h:8080/p', routes: [{ name: 'r', paths: ['/x'] }] }],
      consumers: [{ username: 'alice', basicauth_credentials: [{ username: 'alice', password: 'secret' }], acls: [{ group: 'gold' }] }],
      plugins: [{ name: 'key-auth', route: 'r' }],
    });
    const reloaded = load(yaml.load(exportDeclarativeYaml(config, '3.11.0.0')));
    expect(reloaded).toEqual(config);
  });
});

import { describe, expect, it } from 'vitest';
import { entityUuid, randomCredentialKey, uuidV5 } from '../../src/declarative/ids.js';
import { loadDeclarativeConfig } from '../../src/declarative/load.js';

describe('deterministic ids', () => {
  it('are UUIDv5 (RFC 4122 test vector)', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('equal the ids Kong generates (ids copied from Kong spec 15-off_spec.lua)', () => {
    expect(entityUuid('services', 'my-service')).toBe('0855b320-0dd2-547d-891d-601e9b38647f');
    expect(entityUuid('routes', 'my-route')).toBe('481a9539-f49c-51b6-b2e2-fe99ee68866c');
    expect(entityUuid('consumers', 'my-user')).toBe('4b1b701d-de2b-5588-9aa2-3b97061d9f52');
    expect(entityUuid('consumers', 'test-consumer-1')).toBe('a73dc9a7-93df-584d-97c0-7f41a1bbce3d');
  });

  it('come from the plugin cache key, so one plugin per name and scope', () => {
    const result = loadDeclarativeConfig({
      _format_version: '3.0',
      services: [{ name: 'my-service', host: 'h', plugins: [{ name: 'key-auth' }] }],
      routes: [{ name: 'r', paths: ['/'], service: 'my-service', plugins: [{ name: 'key-auth' }] }],
      plugins: [{ name: 'key-auth', service: 'my-service', route: 'r' }, { name: 'rate-limiting', config: { minute: 1 } }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const service = '0855b320-0dd2-547d-891d-601e9b38647f';
    const route = entityUuid('routes', 'r');
    expect(result.config.plugins.map((p) => p.id)).toEqual([
      entityUuid('plugins', `plugins:*:key-auth::${service}:`),
      entityUuid('plugins', `plugins:*:key-auth:${route}::`),
      // top-level references are used as written (names), like Kong's build_cache_key
      entityUuid('plugins', 'plugins:*:key-auth:r:my-service:'),
      entityUuid('plugins', 'plugins:*:rate-limiting:::'),
    ]);
  });

  it('are random for entities without a key, and kept when given', () => {
    const input = {
      _format_version: '3.0',
      routes: [{ paths: ['/'] }, { id: '9dc3b0a8-7b4b-4a80-9d2a-5b4d8d7b8d11', paths: ['/x'] }],
    };
    const first = loadDeclarativeConfig(input);
    const second = loadDeclarativeConfig(input);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.config.routes[0].id).not.toBe(second.config.routes[0].id);
    expect(first.config.routes[1].id).toBe('9dc3b0a8-7b4b-4a80-9d2a-5b4d8d7b8d11');
  });
});

describe('generated keyauth keys', () => {
  it('are 32 alphanumeric characters, new at each load', () => {
    expect(randomCredentialKey()).toMatch(/^[A-Za-z0-9]{32}$/);
    const input = { _format_version: '3.0', consumers: [{ username: 'alice', keyauth_credentials: [{}] }] };
    const first = loadDeclarativeConfig(input);
    const second = loadDeclarativeConfig(input);
    if (!first.ok || !second.ok) throw new Error('expected valid configurations');
    expect(first.config.keyauth_credentials[0].key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(first.config.keyauth_credentials[0].key).not.toBe(second.config.keyauth_credentials[0].key);
  });
});

import { describe, expect, it } from 'vitest';
import { loadDeclarativeConfig } from '../../src/declarative/load.js';
import { parseDeclarativeText } from '../../src/declarative/parse.js';
import type { FlatConfig } from '../../src/declarative/entities.js';
import { entityUuid } from '../../src/declarative/ids.js';
import { WORKSHOP_DECLARATIONS, consumerRateLimits, keyAuthOnRoute, withoutDeckKeys } from './workshop-declarations.js';

const NOW = 1_754_923_499_000;

function load(text: string): FlatConfig {
  const result = loadDeclarativeConfig(withoutDeckKeys(text), { now: NOW });
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

const SERVICE_ID = entityUuid('services', 'httpbin-service');

describe('the workshop declarations', () => {
  it.each(Object.entries(WORKSHOP_DECLARATIONS))('%s loads once decK keys are removed', (_name, text) => {
    expect(loadDeclarativeConfig(withoutDeckKeys(text)).ok).toBe(true);
  });

  it('are refused with _konnect and _info still in them (decK strips them, Kong does not know them)', () => {
    const result = loadDeclarativeConfig(parseDeclarativeText(keyAuthOnRoute));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.body).toMatchObject({
      code: 14,
      name: 'invalid declarative configuration',
      fields: { _konnect: 'unknown field', _info: 'unknown field' },
    });
  });

  it('get the service, route and key-auth defaults', () => {
    const config = load(keyAuthOnRoute);
    expect(config.services).toEqual([
      {
        id: SERVICE_ID,
        name: 'httpbin-service',
        protocol: 'http',
        host: 'httpbin.kong.svc.cluster.local',
        port: 8000,
        path: null,
        retries: 5,
        connect_timeout: 60000,
        write_timeout: 60000,
        read_timeout: 60000,
        tags: null,
        client_certificate: null,
        tls_verify: null,
        tls_verify_depth: null,
        ca_certificates: null,
        enabled: true,
        created_at: NOW / 1000,
        updated_at: NOW / 1000,
      },
    ]);
    expect(config.routes).toEqual([
      {
        id: entityUuid('routes', 'httpbin-route'),
        name: 'httpbin-route',
        protocols: ['http', 'https'],
        methods: null,
        hosts: null,
        paths: ['/key-auth-route'],
        headers: null,
        snis: null,
        sources: null,
        destinations: null,
        strip_path: true,
        preserve_host: false,
        regex_priority: 0,
        path_handling: 'v0',
        https_redirect_status_code: 426,
        request_buffering: true,
        response_buffering: true,
        tags: null,
        service: { id: SERVICE_ID },
        created_at: NOW / 1000,
        updated_at: NOW / 1000,
      },
    ]);
    expect(config.plugins).toEqual([
      {
        // Kong's cache key: plugins:<ws>:<name>:<route>:<service>:<consumer>
        id: entityUuid('plugins', `plugins:*:key-auth::${SERVICE_ID}:`),
        name: 'key-auth',
        instance_name: 'key-auth1',
        config: {
          key_names: ['apikey'],
          hide_credentials: false,
          anonymous: null,
          key_in_header: true,
          key_in_query: true,
          key_in_body: false,
          run_on_preflight: true,
          realm: null,
          identity_realms: null,
        },
        enabled: true,
        protocols: ['grpc', 'grpcs', 'http', 'https'],
        route: null,
        service: { id: SERVICE_ID },
        consumer: null,
        tags: null,
        created_at: NOW / 1000,
        updated_at: NOW / 1000,
      },
    ]);
  });

  it('get consumers, credentials and consumer-scoped rate limits', () => {
    const config = load(consumerRateLimits);
    const consumer1 = entityUuid('consumers', 'consumer1');
    const consumer2 = entityUuid('consumers', 'consumer2');
    expect(config.consumers.map((c) => [c.id, c.username, c.custom_id, c.tags])).toEqual([
      [consumer1, 'consumer1', null, null],
      [consumer2, 'consumer2', null, null],
    ]);
    expect(config.keyauth_credentials.map((k) => [k.consumer.id, k.key, k.ttl, k.tags, k.created_at])).toEqual([
      [consumer1, '123456', null, null, NOW / 1000],
      [consumer2, '987654', null, null, NOW / 1000],
    ]);
    const rateLimits = config.plugins.filter((p) => p.name === 'rate-limiting');
    expect(rateLimits.map((p) => [p.instance_name, p.consumer?.id, p.service, p.route])).toEqual([
      ['rate-limiting1', consumer1, null, null],
      ['rate-limiting2', consumer2, null, null],
    ]);
    expect(rateLimits[0].config).toMatchObject({ minute: 5, second: null, limit_by: 'consumer', policy: 'local', fault_tolerant: true, sync_rate: -1 });
    expect(rateLimits[1].config).toMatchObject({ minute: 8, limit_by: 'consumer', policy: 'local' });
    expect(rateLimits[0].id).toBe(entityUuid('plugins', `plugins:*:rate-limiting:::${consumer1}`));
    expect(config.basicauth_credentials).toEqual([]);
    expect(config.acls).toEqual([]);
  });

  it('keep their ids across loads, except the random keyauth credential ids', () => {
    const first = load(consumerRateLimits);
    const second = load(consumerRateLimits);
    for (const collection of ['services', 'routes', 'consumers', 'plugins'] as const) {
      expect(second[collection].map((e) => e.id)).toEqual(first[collection].map((e) => e.id));
    }
    const firstKeys = first.keyauth_credentials.map((k) => k.id);
    const secondKeys = second.keyauth_credentials.map((k) => k.id);
    for (const id of [...firstKeys, ...secondKeys]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(secondKeys).not.toEqual(firstKeys);
  });
});

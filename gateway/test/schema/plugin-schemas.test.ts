import { describe, expect, it } from 'vitest';
import { processAndValidate } from '../../src/schema/engine.js';
import { pluginEntity as pluginSchema, pluginSchemas } from '../../src/plugins/registry.js';
import { formatOneDecimal } from '../../src/plugins/rate-limiting/schema.js';

const plugin = (input: Record<string, unknown>) => processAndValidate(pluginSchema, input);
const AT_LEAST_ONE_WINDOW =
  "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'";

describe('plugin registry', () => {
  it('knows the lab plugins and their scope rules', () => {
    expect([...pluginSchemas.keys()].sort()).toEqual(['acl', 'basic-auth', 'key-auth', 'proxy-cache', 'rate-limiting', 'request-transformer', 'response-transformer', 'tcp-log']);
    expect(pluginSchemas.get('basic-auth')?.noConsumer).toBe(true);
    expect(pluginSchemas.get('acl')?.noConsumer).toBe(true);
    expect(pluginSchemas.get('key-auth')?.noConsumer).toBe(true);
    expect(pluginSchemas.get('rate-limiting')?.noConsumer).toBeUndefined();
  });

  it('refuses unknown plugins with Kong message', () => {
    expect(plugin({ name: 'nope' }).errors).toEqual({ name: "plugin 'nope' not enabled; add it to the 'plugins' configuration property" });
    expect(plugin({}).errors).toEqual({ name: 'required field missing' });
  });

  it('checks instance_name as a utf8 name', () => {
    expect(plugin({ name: 'key-auth', instance_name: 'a b' }).errors).toEqual({
      instance_name: "invalid value 'a b': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
    });
  });
});

describe('key-auth', () => {
  it('has Kong defaults', () => {
    expect(plugin({ name: 'key-auth' })).toEqual({
      errors: null,
      value: {
        name: 'key-auth',
        instance_name: null,
        route: null,
        service: null,
        consumer: null,
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
        protocols: ['grpc', 'grpcs', 'http', 'https'],
        enabled: true,
        tags: null,
      },
    });
  });

  it('checks key names as header names and refuses consumer scope', () => {
    expect(plugin({ name: 'key-auth', consumer: 'alice', config: { key_names: ['good_one', 'bad name'], key_in_body: 'yes' } }).errors).toEqual({
      consumer: 'value must be null',
      config: {
        key_names: { '2': "bad header name 'bad name', allowed characters are A-Z, a-z, 0-9, '_', and '-'" },
        key_in_body: 'expected a boolean',
      },
    });
    expect(plugin({ name: 'key-auth', protocols: ['tcp'] }).errors).toEqual({ protocols: { '1': 'expected one of: grpc, grpcs, http, https' } });
  });
});

describe('rate-limiting', () => {
  it('has Kong defaults, redis record included', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 5 } }).value?.config).toEqual({
      second: null,
      minute: 5,
      hour: null,
      day: null,
      month: null,
      year: null,
      limit_by: 'consumer',
      header_name: null,
      path: null,
      policy: 'local',
      fault_tolerant: true,
      redis: { host: null, port: 6379, timeout: 2000, username: null, password: null, database: 0, ssl: false, ssl_verify: false, server_name: null },
      hide_client_headers: false,
      error_code: 429,
      error_message: 'API rate limit exceeded',
      sync_rate: -1,
    });
  });

  it('needs a window, positive limits and ordered windows', () => {
    expect(plugin({ name: 'rate-limiting' }).errors).toEqual({ '@entity': { '1': AT_LEAST_ONE_WINDOW } });
    // 0 is "non-empty" for the window check; only the field itself fails.
    expect(plugin({ name: 'rate-limiting', config: { minute: 0 } }).errors).toEqual({ config: { minute: 'value must be greater than 0' } });
    expect(plugin({ name: 'rate-limiting', config: { second: 20, hour: 10 } }).errors).toEqual({
      config: 'The limit for hour(10.0) cannot be lower than the limit for second(20.0)',
    });
    expect(formatOneDecimal(0.25)).toBe('0.2');
    expect(formatOneDecimal(2.5)).toBe('2.5');
  });

  it('refuses the cluster policy in DB-less mode', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, policy: 'cluster' } }).errors).toEqual({
      config: { policy: 'expected one of: local, redis' },
    });
  });

  it('requires header_name and path for limit_by header and path', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, limit_by: 'header' } }).errors).toEqual({
      config: { header_name: 'required field missing' },
      '@entity': { '1': "failed conditional validation given value of field 'config.limit_by'" },
    });
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, limit_by: 'path' } }).errors).toEqual({
      config: { path: 'required field missing' },
      '@entity': { '1': "failed conditional validation given value of field 'config.limit_by'" },
    });
  });

  it('applies the sync_rate rules', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, sync_rate: 1 } }).errors).toEqual({
      config: 'sync_rate can only be used with the redis policy',
    });
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, sync_rate: 0.01, policy: 'redis', redis: { host: 'r' } } }).errors).toEqual({
      config: 'sync_rate must be greater than 0.02, or -1 to disable',
    });
  });

  it('needs a redis host for the redis policy and maps the legacy redis_* fields', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, policy: 'redis' } }).errors).toEqual({
      config: { redis: { host: 'required field missing' } },
      '@entity': { '1': "failed conditional validation given value of field 'config.policy'" },
    });
    const legacy = plugin({ name: 'rate-limiting', config: { minute: 1, policy: 'redis', redis_host: 'r', redis_port: 6380 } });
    expect(legacy.errors).toBeNull();
    expect(legacy.value?.config).toMatchObject({ redis: { host: 'r', port: 6380 } });
    expect(legacy.value?.config).not.toHaveProperty('redis_host');
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, redis_host: 'a', redis: { host: 'b' } } }).errors).toEqual({
      config: { redis_host: 'both deprecated and new field are used but their values mismatch: redis_host = a vs redis.host = b' },
    });
  });

  it('never quotes a Redis password in a mismatch message (Kong does)', () => {
    expect(plugin({ name: 'rate-limiting', config: { minute: 1, redis_password: 'old-secret', redis: { password: 'new-secret' } } }).errors).toEqual({
      config: { redis_password: 'both deprecated and new field are used but their values mismatch: redis_password = <redacted> vs redis.password = <redacted>' },
    });
  });

  it('takes every legacy redis_* field onto the redis record', () => {
    const legacy = plugin({
      name: 'rate-limiting',
      config: {
        minute: 1,
        policy: 'redis',
        redis_host: 'redis-stack.redis.svc.cluster.local',
        redis_port: 6380,
        redis_password: 'pw',
        redis_username: 'user',
        redis_ssl: true,
        redis_ssl_verify: true,
        redis_server_name: 'redis.example.com',
        redis_timeout: 1500,
        redis_database: 2,
      },
    });
    expect(legacy.errors).toBeNull();
    expect((legacy.value?.config as { redis: unknown }).redis).toEqual({
      host: 'redis-stack.redis.svc.cluster.local',
      port: 6380,
      password: 'pw',
      username: 'user',
      ssl: true,
      ssl_verify: true,
      server_name: 'redis.example.com',
      timeout: 1500,
      database: 2,
    });
  });
});

describe('basic-auth', () => {
  it('fills Kong 3.11 defaults', () => {
    expect(plugin({ name: 'basic-auth' }).value?.config).toEqual({ anonymous: null, hide_credentials: false, realm: 'service' });
  });

  it('refuses a consumer scope and a non-http protocol', () => {
    expect(plugin({ name: 'basic-auth', consumer: { id: '6e0e3a3a-3a3a-4a3a-8a3a-3a3a3a3a3a3a' } }).errors).toEqual({
      consumer: 'value must be null',
    });
    expect(plugin({ name: 'basic-auth', protocols: ['tcp'] }).errors).toMatchObject({ protocols: expect.anything() });
  });
});

describe('acl', () => {
  it('fills defaults around an allow list', () => {
    expect(plugin({ name: 'acl', config: { allow: ['gold'] } }).value?.config).toEqual({
      allow: ['gold'],
      deny: null,
      hide_groups_header: false,
      always_use_authenticated_groups: false,
      include_consumer_groups: false,
    });
  });

  it('wants exactly one of allow and deny, with Kong messages', () => {
    // null is not missing to Kong's entity checks, so only_one_of runs (and fails) next to at_least_one_of.
    const neither = {
      '@entity': {
        '1': "exactly one of these fields must be non-empty: 'config.allow', 'config.deny'",
        '2': "at least one of these fields must be non-empty: 'config.allow', 'config.deny'",
      },
    };
    expect(plugin({ name: 'acl' }).errors).toEqual(neither);
    expect(plugin({ name: 'acl', config: { allow: ['a'], deny: ['b'] } }).errors).toEqual({
      '@entity': { '1': "exactly one of these fields must be non-empty: 'config.allow', 'config.deny'" },
    });
    expect(plugin({ name: 'acl', config: { allow: [] } }).errors).toEqual(neither);
    expect(plugin({ name: 'acl', config: { deny: ['b'] } }).errors).toBeNull();
  });
});

describe('fail closed', () => {
  it('refuses a plugin it has no handler for, with Kong message', () => {
    expect(plugin({ name: 'jwt' }).errors).toEqual({ name: "plugin 'jwt' not enabled; add it to the 'plugins' configuration property" });
  });
});

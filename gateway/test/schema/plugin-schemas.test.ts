import { describe, expect, it } from 'vitest';
import { processAndValidate } from '../../src/schema/engine.js';
import { pluginSchema } from '../../src/schema/entities/plugins.js';
import { pluginSchemas } from '../../src/plugins/schemas.js';
import { formatOneDecimal } from '../../src/plugins/rate-limiting/schema.js';

const plugin = (input: Record<string, unknown>) => processAndValidate(pluginSchema, input);
const AT_LEAST_ONE_WINDOW =
  "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'";

describe('plugin registry', () => {
  it('knows the lab plugins and their scope rules', () => {
    expect([...pluginSchemas.keys()].sort()).toEqual(['key-auth', 'rate-limiting']);
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
});

describe('fail closed', () => {
  it('accepts exactly the plugins that have a handler, and no plugin has a handler without a schema', async () => {
    const { pluginHandlers } = await import('../../src/plugins/handlers.js');
    expect([...pluginSchemas.keys()].sort()).toEqual([...pluginHandlers.keys()].sort());
  });

  it.each(['basic-auth', 'acl'])('refuses %s while no handler runs it', (name) => {
    expect(plugin({ name, config: { allow: ['gold'] } }).errors).toEqual({
      name: `plugin '${name}' not enabled; add it to the 'plugins' configuration property`,
    });
  });
});

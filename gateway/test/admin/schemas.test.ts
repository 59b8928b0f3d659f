import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postJson, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startAdmin();
});
afterAll(async () => admin.close());

type FieldList = Array<Record<string, any>>;
const field = (fields: FieldList, name: string) => fields.find((entry) => name in entry)?.[name];

describe('GET /schemas', () => {
  it('serves entity schemas with the defaults decK reads', async () => {
    const response = await call(admin, 'GET', '/schemas/services');
    expect(response.status).toBe(200);
    expect(field(response.body.fields, 'port')).toMatchObject({ type: 'integer', default: 80 });
    expect(field(response.body.fields, 'retries')).toMatchObject({ default: 5 });
    expect(field(response.body.fields, 'connect_timeout')).toMatchObject({ default: 60000 });
    expect(field((await call(admin, 'GET', '/schemas/routes')).body.fields, 'strip_path')).toMatchObject({ default: true });
    expect((await call(admin, 'GET', '/schemas/keyauth_credentials')).status).toBe(200);
  });

  it('serves plugin schemas with config defaults and scope rules', async () => {
    const response = await call(admin, 'GET', '/schemas/plugins/key-auth');
    expect(response.status).toBe(200);
    const config = field(response.body.fields, 'config');
    expect(config.type).toBe('record');
    expect(field(config.fields, 'key_names')).toMatchObject({ default: ['apikey'] });
    expect(field(response.body.fields, 'consumer')).toMatchObject({ type: 'foreign', eq: null });

    const rateLimiting = await call(admin, 'GET', '/schemas/plugins/rate-limiting');
    expect(field(field(rateLimiting.body.fields, 'config').fields, 'policy')).toMatchObject({ default: 'local' });
  });

  it('serves basic-auth and acl, with the entity checks acl has, and their credential entities', async () => {
    const basicAuth = await call(admin, 'GET', '/schemas/plugins/basic-auth');
    expect(field(field(basicAuth.body.fields, 'config').fields, 'realm')).toMatchObject({ default: 'service', required: true });
    const acl = await call(admin, 'GET', '/schemas/plugins/acl');
    expect(acl.body.entity_checks).toEqual([
      { only_one_of: ['config.allow', 'config.deny'] },
      { at_least_one_of: ['config.allow', 'config.deny'] },
    ]);
    expect((await call(admin, 'GET', '/schemas/basicauth_credentials')).status).toBe(200);
    expect((await call(admin, 'GET', '/schemas/acls')).status).toBe(200);
  });

  it('serves a schema for exactly the plugins GET / says are available', async () => {
    const available = Object.keys((await call(admin, 'GET', '/')).body.plugins.available_on_server);
    expect(available.sort()).toEqual(['acl', 'basic-auth', 'key-auth', 'proxy-cache', 'rate-limiting', 'request-transformer', 'response-transformer', 'tcp-log']);
    for (const name of available) expect((await call(admin, 'GET', `/schemas/plugins/${name}`)).status, name).toBe(200);
    for (const name of ['jwt', 'request-termination']) expect((await call(admin, 'GET', `/schemas/plugins/${name}`)).status, name).toBe(404);
  });

  it('answers 404 with Kong’s messages for unknown names', async () => {
    expect(await call(admin, 'GET', '/schemas/upstreamz')).toMatchObject({ status: 404, body: { message: "No entity named 'upstreamz'" } });
    expect(await call(admin, 'GET', '/schemas/plugins/jwt-magic')).toMatchObject({
      status: 404,
      body: { message: "No plugin named 'jwt-magic'" },
    });
  });
});

describe('POST /schemas/.../validate', () => {
  it('accepts a valid plugin and a valid entity', async () => {
    const plugin = await postJson(admin, '/schemas/plugins/validate', { name: 'key-auth', config: { key_names: ['apikey'] } });
    expect(plugin.status).toBe(200);
    expect(plugin.body).toEqual({ message: 'schema validation successful' });
    expect((await postJson(admin, '/schemas/services/validate', { host: 'httpbin', port: 8080 })).status).toBe(200);
  });

  it('answers 400 schema violations with fields', async () => {
    const unknown = await postJson(admin, '/schemas/plugins/validate', { name: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      code: 2,
      name: 'schema violation',
      message: "schema violation (name: plugin 'nope' not enabled; add it to the 'plugins' configuration property)",
      fields: { name: "plugin 'nope' not enabled; add it to the 'plugins' configuration property" },
    });

    const service = await postJson(admin, '/schemas/services/validate', { host: 'x', port: 99999 });
    expect(service.status).toBe(400);
    expect(service.body).toMatchObject({
      code: 2,
      message: 'schema violation (port: value should be between 0 and 65535)',
      fields: { port: 'value should be between 0 and 65535' },
    });

    const consumer = await postJson(admin, '/schemas/consumers/validate', {});
    expect(consumer.body.fields).toEqual({ '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] });
  });

  it('only POST validates; only GET reads schemas', async () => {
    expect((await call(admin, 'GET', '/schemas/plugins/validate')).status).toBe(405);
    expect((await call(admin, 'POST', '/schemas/services', { body: '{}' })).status).toBe(405);
  });
});

import { describe, expect, it } from 'vitest';
import { loadDeclarativeConfig } from '../../src/declarative/load.js';
import type { DeclarativeErrorBody } from '../../src/declarative/errors.js';
import { entityUuid } from '../../src/declarative/ids.js';

function reject(input: unknown, flattenErrors = false): DeclarativeErrorBody {
  const result = loadDeclarativeConfig(input, { flattenErrors });
  if (result.ok) throw new Error('expected the configuration to be refused');
  expect(result.error.body.code).toBe(14);
  expect(result.error.body.name).toBe('invalid declarative configuration');
  expect(result.error.message).toBe(result.error.body.message);
  return result.error.body;
}

const v3 = (rest: Record<string, unknown>) => ({ _format_version: '3.0', ...rest });
const WINDOWS = "'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'";

describe('invalid declarations', () => {
  it('missing host and bad port (Kong spec example)', () => {
    const input = v3({ services: [{ port: -12 }] });
    const body = reject(input);
    expect(body.fields).toEqual({ services: [{ host: 'required field missing', port: 'value should be between 0 and 65535' }] });
    expect(body.message).toBe('declarative config is invalid: {services={{host="required field missing",port="value should be between 0 and 65535"}}}');
    expect(body).not.toHaveProperty('flattened_errors');
    expect(reject(input, true)).toMatchObject({
      fields: {},
      flattened_errors: [
        {
          entity_type: 'service',
          entity: { port: -12 },
          errors: [
            { type: 'field', field: 'host', message: 'required field missing' },
            { type: 'field', field: 'port', message: 'value should be between 0 and 65535' },
          ],
        },
      ],
    });
  });

  it('unknown entity field', () => {
    const input = v3({ consumers: [{ username: 'ok' }, { username: 'bobby', not_allowed: true, tags: ['consumer-02'] }] });
    expect(reject(input).fields).toEqual({ consumers: [null, { not_allowed: 'unknown field' }] });
    expect(reject(input, true).flattened_errors).toEqual([
      {
        entity_type: 'consumer',
        entity_tags: ['consumer-02'],
        entity: { username: 'bobby', not_allowed: true, tags: ['consumer-02'] },
        errors: [{ type: 'field', field: 'not_allowed', message: 'unknown field' }],
      },
    ]);
  });

  it('unknown plugin, nested in a service with an id (the child gets the foreign key)', () => {
    const id = 'cb019421-62c2-47a8-b714-d7567b114037';
    const input = v3({ services: [{ id, name: 'svc', host: 'h', plugins: [{ name: 'i-dont-exist', config: {} }] }] });
    expect(reject(input).fields).toEqual({
      services: [{ plugins: [{ name: "plugin 'i-dont-exist' not enabled; add it to the 'plugins' configuration property" }] }],
    });
    expect(reject(input, true).flattened_errors).toEqual([
      {
        entity_type: 'plugin',
        entity_name: 'i-dont-exist',
        entity: { name: 'i-dont-exist', config: {}, service: { id } },
        errors: [{ type: 'field', field: 'name', message: "plugin 'i-dont-exist' not enabled; add it to the 'plugins' configuration property" }],
      },
    ]);
  });

  it('key-auth on a consumer', () => {
    const input = v3({ consumers: [{ username: 'alice', plugins: [{ name: 'key-auth' }] }] });
    expect(reject(input).fields).toEqual({ consumers: [{ plugins: [{ consumer: 'value must be null' }] }] });
    expect(reject(input, true).flattened_errors).toEqual([
      {
        entity_type: 'plugin',
        entity_name: 'key-auth',
        entity: { name: 'key-auth' },
        errors: [{ type: 'field', field: 'consumer', message: 'value must be null' }],
      },
    ]);
  });

  it('rate-limiting without any window', () => {
    const input = v3({ consumers: [{ username: 'alice', plugins: [{ name: 'rate-limiting', config: { policy: 'local' } }] }] });
    expect(reject(input).fields).toEqual({
      consumers: [{ plugins: [{ '@entity': [`at least one of these fields must be non-empty: ${WINDOWS}`] }] }],
    });
    expect(reject(input, true).flattened_errors?.[0].errors).toEqual([
      { type: 'entity', message: `at least one of these fields must be non-empty: ${WINDOWS}` },
    ]);
  });

  it('rate-limiting with the cluster policy and misordered windows', () => {
    expect(reject(v3({ plugins: [{ name: 'rate-limiting', config: { minute: 5, policy: 'cluster' } }] })).fields).toEqual({
      plugins: [{ config: { policy: 'expected one of: local, redis' } }],
    });
    expect(reject(v3({ plugins: [{ name: 'rate-limiting', config: { second: 20, hour: 10 } }] })).fields).toEqual({
      plugins: [{ config: 'The limit for hour(10.0) cannot be lower than the limit for second(20.0)' }],
    });
  });

  it('key_names that are not header names', () => {
    const input = v3({ plugins: [{ name: 'key-auth', config: { key_names: ['apikey', 'api key'] } }] });
    const message = "bad header name 'api key', allowed characters are A-Z, a-z, 0-9, '_', and '-'";
    expect(reject(input).fields).toEqual({ plugins: [{ config: { key_names: [null, message] } }] });
    expect(reject(input, true).flattened_errors?.[0].errors).toEqual([{ type: 'field', field: 'config.key_names.2', message }]);
  });

  it('duplicate service name (endpoint key)', () => {
    const input = v3({ services: [{ name: 'foo', host: 'example.com' }, { name: 'foo', host: 'example.test' }] });
    const body = reject(input);
    expect(body.fields).toEqual({ services: [null, "uniqueness violation: 'services' entity with name set to 'foo' already declared"] });
    expect(body.message).toBe(
      `declarative config is invalid: {services={[2]="uniqueness violation: 'services' entity with name set to 'foo' already declared"}}`,
    );
    expect(reject(input, true).flattened_errors).toEqual([
      {
        entity_type: 'service',
        entity_name: 'foo',
        entity: { name: 'foo', host: 'example.test' },
        errors: [{ type: 'entity', message: "uniqueness violation: 'services' entity with name set to 'foo' already declared" }],
      },
    ]);
  });

  it('duplicate explicit id (primary key)', () => {
    const id = '0855b320-0dd2-547d-891d-601e9b38647f';
    const input = v3({ services: [{ id, name: 'foo', host: 'example.com' }, { id, name: 'bar', host: 'example.test' }] });
    expect(reject(input).fields).toEqual({
      services: [null, `uniqueness violation: 'services' entity with primary key set to '${id}' already declared`],
    });
  });

  it('two plugins with the same name and scope collide, whatever their instance_name', () => {
    const service = '0855b320-0dd2-547d-891d-601e9b38647f';
    const input = v3({ services: [{ name: 'my-service', host: 'h', plugins: [{ name: 'key-auth', instance_name: 'a' }, { name: 'key-auth', instance_name: 'b' }] }] });
    const pluginId = entityUuid('plugins', `plugins:*:key-auth::${service}:`);
    expect(reject(input).fields).toEqual({
      services: [{ plugins: [null, `uniqueness violation: 'plugins' entity with primary key set to '${pluginId}' already declared`] }],
    });
  });

  it('duplicate keyauth key across consumers', () => {
    const input = v3({ consumers: [{ username: 'a', keyauth_credentials: [{ key: 'k' }] }, { username: 'b', keyauth_credentials: [{ key: 'k' }] }] });
    expect(reject(input).fields).toEqual({ keyauth_credentials: ["uniqueness violation: 'keyauth_credentials' entity with key set to 'k' already declared"] });
  });

  it('duplicate custom_id (other unique field, keyed by username)', () => {
    const input = v3({ consumers: [{ username: 'foo', custom_id: 'conflict' }, { username: 'bar', custom_id: 'conflict' }] });
    expect(reject(input).fields).toEqual({ consumers: { bar: "uniqueness violation: 'consumers' entity with custom_id set to 'conflict' already declared" } });
  });

  it('invalid reference', () => {
    const input = v3({ routes: [{ name: 'r', paths: ['/'], service: 'foo' }] });
    expect(reject(input).fields).toEqual({ routes: { r: ["invalid reference 'service: foo' (no such entry in 'services')"] } });
    expect(reject(input, true)).toMatchObject({
      fields: {},
      flattened_errors: [
        {
          entity_type: 'route',
          entity_name: 'r',
          entity: { name: 'r', paths: ['/'], service: 'foo' },
          errors: [{ type: 'entity', message: "invalid reference 'service: foo' (no such entry in 'services')" }],
        },
      ],
    });
    expect(reject(v3({ keyauth_credentials: [{ key: 'k', consumer: { id: '4b1b701d-de2b-5588-9aa2-3b97061d9f52' } }] })).fields).toEqual({
      keyauth_credentials: {
        k: [`invalid reference 'consumer: {"id":"4b1b701d-de2b-5588-9aa2-3b97061d9f52"}' (no such entry in 'consumers')`],
      },
    });
  });

  it('_info, _konnect, _workspace and any other unknown top-level key', () => {
    const input = v3({ _info: { select_tags: ['x'] }, _konnect: { control_plane_name: 'cp' }, _workspace: 'w', upstreamz: [] });
    const expected = { _info: 'unknown field', _konnect: 'unknown field', _workspace: 'unknown field', upstreamz: 'unknown field' };
    expect(reject(input).fields).toEqual(expected);
    // Top-level errors have no entity: they stay in `fields` when flattening.
    expect(reject(input, true)).toMatchObject({ fields: expected, flattened_errors: [] });
  });

  it('bad regex path', () => {
    const input = v3({ services: [{ name: 's', host: 'h', routes: [{ name: 'r', paths: ['~/users/(foo/profile'] }] }] });
    const message = `invalid regex: '/users/(foo/profile' (PCRE returned: pcre2_compile() failed: missing closing parenthesis in "/users/(foo/profile")`;
    expect(reject(input).fields).toEqual({ services: [{ routes: [{ paths: [message] }] }] });
    expect(reject(input, true).flattened_errors).toEqual([
      { entity_type: 'route', entity_name: 'r', entity: { name: 'r', paths: ['~/users/(foo/profile'] }, errors: [{ type: 'field', field: 'paths.1', message }] },
    ]);
  });

  it('non-normalized prefix path', () => {
    expect(reject(v3({ routes: [{ paths: ['/ok', '/a/./b//c'] }] })).fields).toEqual({ routes: [{ paths: [null, 'must not have empty segments'] }] });
    expect(reject(v3({ routes: [{ paths: ['/a/./b', '/%7Eme'] }] })).fields).toEqual({
      routes: [{ paths: ["non-normalized path, consider use '/a/b' instead", "non-normalized path, consider use '/~me' instead"] }],
    });
  });

  it('consumer without username or custom_id', () => {
    const input = v3({ consumers: [{ tags: ['nameless'] }] });
    expect(reject(input).fields).toEqual({ consumers: [{ '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] }] });
    expect(reject(input, true).flattened_errors).toEqual([
      {
        entity_type: 'consumer',
        entity_tags: ['nameless'],
        entity: { tags: ['nameless'] },
        errors: [{ type: 'entity', message: "at least one of these fields must be non-empty: 'custom_id', 'username'" }],
      },
    ]);
  });

  it('a nested child naming its parent', () => {
    expect(reject(v3({ services: [{ name: 's', host: 'h', routes: [{ paths: ['/'], service: 's' }] }] })).fields).toEqual({
      services: [{ routes: [{ service: 'value must be null' }] }],
    });
  });

  it('route without anything to match', () => {
    expect(reject(v3({ services: [{ url: 'https://example.com', routes: [{ preserve_host: true }] }] })).fields).toEqual({
      services: [{ routes: [{ '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"] }] }],
    });
  });

  it('_format_version missing, not a string or unknown', () => {
    expect(reject({ services: [] }).fields).toEqual({ _format_version: 'required field missing' });
    expect(reject({ _format_version: 3 }).fields).toEqual({ _format_version: 'expected a string' });
    expect(reject({ _format_version: '4.0' }).fields).toEqual({ _format_version: 'expected one of: 1.1, 2.1, 3.0' });
  });

  it('a document that is not an object', () => {
    expect(reject('bobby tables')).toEqual({
      code: 14,
      name: 'invalid declarative configuration',
      message: 'declarative config is invalid: {error="failed parsing declarative configuration: expected an object"}',
      fields: { error: 'failed parsing declarative configuration: expected an object' },
    });
  });

  it('drains flattened errors out of `fields` (Kong spec example)', () => {
    const input = v3({
      abnormal_extra_field: 123,
      services: [
        {
          name: 'nope',
          host: 'localhost',
          port: 1234,
          protocol: 'nope',
          tags: ['service-01'],
          routes: [
            { name: 'valid.route', protocols: ['http', 'https'], methods: ['GET'], hosts: ['test'], tags: ['route_service-01', 'service-01'] },
            { name: 'nope.route', protocols: ['tcp'], tags: ['route_service-02', 'service-01'] },
          ],
        },
        { name: 'mis-matched', host: 'localhost', protocol: 'tcp', path: '/path', tags: ['service-02'] },
      ],
    });
    expect(reject(input).fields).toEqual({
      abnormal_extra_field: 'unknown field',
      services: [
        {
          protocol: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp',
          routes: [null, { '@entity': ["must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"] }],
        },
        { '@entity': ["failed conditional validation given value of field 'protocol'"], path: 'value must be null' },
      ],
    });
    const flattened = reject(input, true);
    expect(flattened.fields).toEqual({ abnormal_extra_field: 'unknown field' });
    expect(flattened.flattened_errors).toEqual([
      {
        entity_type: 'route',
        entity_name: 'nope.route',
        entity_tags: ['route_service-02', 'service-01'],
        entity: { name: 'nope.route', protocols: ['tcp'], tags: ['route_service-02', 'service-01'] },
        errors: [{ type: 'entity', message: "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'" }],
      },
      {
        entity_type: 'service',
        entity_name: 'nope',
        entity_tags: ['service-01'],
        entity: { name: 'nope', host: 'localhost', port: 1234, protocol: 'nope', tags: ['service-01'] },
        errors: [{ type: 'field', field: 'protocol', message: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp' }],
      },
      {
        entity_type: 'service',
        entity_name: 'mis-matched',
        entity_tags: ['service-02'],
        entity: { name: 'mis-matched', host: 'localhost', protocol: 'tcp', path: '/path', tags: ['service-02'] },
        errors: [
          { type: 'entity', message: "failed conditional validation given value of field 'protocol'" },
          { type: 'field', field: 'path', message: 'value must be null' },
        ],
      },
    ]);
  });

  it('does not change the caller input', () => {
    const input = v3({ services: [{ name: 's', routes: [{ paths: ['bad'] }] }] });
    const copy = structuredClone(input);
    reject(input, true);
    expect(input).toEqual(copy);
  });
});

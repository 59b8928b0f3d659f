import { describe, expect, it } from 'vitest';
import { processAndValidate } from '../../src/schema/engine.js';
import { consumerSchema } from '../../src/schema/entities/consumers.js';
import { routeSchema } from '../../src/schema/entities/routes.js';
import { serviceSchema } from '../../src/schema/entities/services.js';

describe('services', () => {
  it('expands the url shorthand', () => {
    expect(processAndValidate(serviceSchema, { url: 'http://httpbin:8080/anything' }).value).toMatchObject({
      protocol: 'http',
      host: 'httpbin',
      port: 8080,
      path: '/anything',
    });
    expect(processAndValidate(serviceSchema, { url: 'https://example.com' }).value).toMatchObject({ protocol: 'https', port: 443, path: null });
    expect(processAndValidate(serviceSchema, { url: 'http://example.com/' }).value).toMatchObject({ port: 80, path: '/' });
  });

  it('fills Kong defaults', () => {
    expect(processAndValidate(serviceSchema, { host: 'h' })).toEqual({
      errors: null,
      value: {
        name: null,
        retries: 5,
        protocol: 'http',
        host: 'h',
        port: 80,
        path: null,
        connect_timeout: 60000,
        write_timeout: 60000,
        read_timeout: 60000,
        tags: null,
        client_certificate: null,
        tls_verify: null,
        tls_verify_depth: null,
        ca_certificates: null,
        enabled: true,
      },
    });
  });

  it('checks host, port, path, protocol, retries and timeouts', () => {
    expect(
      processAndValidate(serviceSchema, { name: 'foo', retries: -1, protocol: 'foo', host: 1234, port: 99999, path: '/foo//bar/', connect_timeout: 0 }).errors,
    ).toEqual({
      retries: 'value should be between 0 and 32767',
      protocol: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp',
      host: 'expected a string',
      port: 'value should be between 0 and 65535',
      path: 'must not have empty segments',
      connect_timeout: 'value should be between 1 and 2147483646',
    });
    expect(processAndValidate(serviceSchema, { host: 'h:80' }).errors).toEqual({ host: 'must not have a port' });
    expect(processAndValidate(serviceSchema, { host: 'bad host' }).errors).toEqual({ host: 'invalid value: bad host' });
    expect(processAndValidate(serviceSchema, { host: 'h', path: 'x' }).errors).toEqual({ path: 'should start with: /' });
    expect(processAndValidate(serviceSchema, { host: 'h', name: 'a b' }).errors).toEqual({
      name: "invalid value 'a b': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
    });
  });

  it('refuses a path on a tcp service', () => {
    expect(processAndValidate(serviceSchema, { host: 'h', protocol: 'tcp', path: '/path' }).errors).toEqual({
      path: 'value must be null',
      '@entity': { '1': "failed conditional validation given value of field 'protocol'" },
    });
  });
});

describe('routes', () => {
  it('fills Kong defaults', () => {
    expect(processAndValidate(routeSchema, { paths: ['/echo'] }).value).toMatchObject({
      protocols: ['http', 'https'],
      strip_path: true,
      preserve_host: false,
      regex_priority: 0,
      path_handling: 'v0',
      https_redirect_status_code: 426,
      request_buffering: true,
      response_buffering: true,
      methods: null,
      hosts: null,
      headers: null,
      service: null,
    });
  });

  it('needs something to match on', () => {
    expect(processAndValidate(routeSchema, {}).errors).toEqual({
      '@entity': { '1': "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'" },
    });
    expect(processAndValidate(routeSchema, { protocols: ['http'] }).errors).toEqual({
      '@entity': { '1': "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'" },
    });
  });

  it('checks paths: start, empty segments, normalization, regexes', () => {
    expect(processAndValidate(routeSchema, { paths: ['bla', '/a//b', '/a/../b', '/%7e', '~/(x', '~/ok/(?<id>\\d+)$'] }).errors).toEqual({
      paths: {
        '1': 'should start with: / (fixed path) or ~/ (regex path)',
        '2': 'must not have empty segments',
        '3': "non-normalized path, consider use '/b' instead",
        '4': "non-normalized path, consider use '/~' instead",
        '5': `invalid regex: '/(x' (PCRE returned: pcre2_compile() failed: missing closing parenthesis in "/(x")`,
      },
    });
  });

  it('checks methods, hosts, headers and protocol groups', () => {
    expect(
      processAndValidate(routeSchema, { methods: ['get'], hosts: ['*.a.*', 'a.*.b', 'ok.test:8000'], headers: { Host: ['x'] }, paths: ['/'] }).errors,
    ).toEqual({
      methods: { '1': 'invalid value: get' },
      hosts: { '1': 'invalid wildcard: must have at most one wildcard', '2': 'invalid wildcard: must be placed at leftmost or rightmost label' },
      headers: "cannot contain 'host' header, which must be specified in the 'hosts' attribute",
    });
    expect(processAndValidate(routeSchema, { headers: { 'x y': ['1'] } }).errors).toEqual({
      headers: "bad header name 'x y', allowed characters are A-Z, a-z, 0-9, '_', and '-'",
    });
    expect(processAndValidate(routeSchema, { protocols: ['http', 'tcp'], paths: ['/'] }).errors).toEqual({
      protocols: "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')",
    });
    expect(processAndValidate(routeSchema, { protocols: ['nope'] }).errors).toEqual({ protocols: 'unknown type: nope' });
  });

  it('gives grpc routes strip_path false', () => {
    expect(processAndValidate(routeSchema, { protocols: ['grpc'], paths: ['/'] }).value).toMatchObject({ strip_path: false });
  });
});

describe('consumers', () => {
  it('need a username or a custom_id', () => {
    expect(processAndValidate(consumerSchema, { tags: ['t'] }).errors).toEqual({
      '@entity': { '1': "at least one of these fields must be non-empty: 'custom_id', 'username'" },
    });
    expect(processAndValidate(consumerSchema, { custom_id: 'c' }).errors).toBeNull();
  });

  it('check tags', () => {
    expect(processAndValidate(consumerSchema, { username: 'u', tags: ['a,b', 2] }).errors).toEqual({
      tags: { '1': "invalid tag 'a,b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences", '2': 'expected a string' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { buildRouter } from '../../src/router/index.js';
import { composeUpstreamPath, escapeUri, sanitizePostfix } from '../../src/router/upstream-uri.js';
import { makeRequest, makeRoute, makeService } from './fixtures.js';

function upstreamUri(servicePath: string | null, routePath: string, target: string, stripPath: boolean): string | undefined {
  const service = makeService({ path: servicePath });
  const route = makeRoute({ paths: [routePath], strip_path: stripPath }, service);
  return buildRouter([route], [service]).match(makeRequest(target))?.upstreamUri;
}

describe('upstream path composition (path_handling v0, §3.4 verified table)', () => {
  const table: Array<[string | null, string, string, boolean, string]> = [
    [null, '/api', '/api', true, '/'],
    [null, '/api', '/api/', true, '/'],
    [null, '/api', '/api/foo', true, '/foo'],
    [null, '/api', '/apifoo', true, '/foo'],
    [null, '/api', '/api/foo', false, '/api/foo'],
    [null, '/', '/foo', true, '/foo'],
    ['/s', '/api', '/api', true, '/s'],
    ['/s', '/api', '/api/', true, '/s/'],
    ['/s', '/api', '/api/foo', true, '/s/foo'],
    ['/s', '/api', '/api/foo', false, '/s/api/foo'],
    ['/s', '/api', '/api', false, '/s/api'],
    ['/s/', '/api', '/api', true, '/s'],
    ['/s/', '/api', '/api/', true, '/s/'],
    ['/s/', '/api', '/api/foo', false, '/s/api/foo'],
    ['/s', '/api/', '/api/', true, '/s/'],
    ['/s', '/', '/', false, '/s'],
    ['/anything', '/mock', '/mock/bar?x=1', true, '/anything/bar?x=1'],
  ];
  it.each(table)('service.path=%s route=%s request=%s strip=%s → %s', (servicePath, routePath, target, strip, expected) => {
    expect(upstreamUri(servicePath, routePath, target, strip)).toBe(expected);
  });

  it('uses the whole regex match as the stripped prefix', () => {
    expect(upstreamUri('/s', '~/v\\d+', '/v12/items', true)).toBe('/s/items');
    expect(upstreamUri(null, '~/v\\d+', '/v12items', true)).toBe('/items');
  });

  it('strips nothing for a route without paths even though strip_path is on', () => {
    const service = makeService({ path: '/s' });
    const route = makeRoute({ hosts: ['h.test'] }, service);
    const router = buildRouter([route], [service]);
    expect(router.match(makeRequest('/foo', { host: 'h.test' }))?.upstreamUri).toBe('/s/foo');
    expect(router.match(makeRequest('/', { host: 'h.test' }))?.upstreamUri).toBe('/s');
  });

  it('composes from the normalized path', () => {
    expect(upstreamUri('/s', '/api', '/api/x/../y//z', true)).toBe('/s/y/z');
  });

  it('drops a leading ./ or ../ left after stripping', () => {
    expect(sanitizePostfix('./x')).toBe('x');
    expect(sanitizePostfix('../x')).toBe('x');
    expect(sanitizePostfix('.')).toBe('');
    expect(sanitizePostfix('..')).toBe('');
    expect(sanitizePostfix('/x')).toBe('/x');
    expect(composeUpstreamPath('/s', true, '/api', '/api..')).toBe('/s');
    expect(composeUpstreamPath('/s', true, '/api', '/api./x')).toBe('/s/x');
  });
});

describe('query string', () => {
  it('is appended as sent', () => {
    expect(upstreamUri(null, '/api', '/api/foo?x=1&y=%20z', true)).toBe('/foo?x=1&y=%20z');
  });

  it('keeps a bare ?', () => {
    expect(upstreamUri(null, '/api', '/api/foo?', true)).toBe('/foo?');
    expect(upstreamUri('/s', '/api', '/api?', true)).toBe('/s?');
  });

  it('is absent when the target had no ?', () => {
    expect(upstreamUri(null, '/api', '/api/foo', true)).toBe('/foo');
  });
});

describe('escaping', () => {
  it('re-encodes characters outside the allowed set, UTF-8 and upper-case hex', () => {
    expect(upstreamUri(null, '/', '/caf%c3%a9', false)).toBe('/caf%C3%A9');
    expect(upstreamUri(null, '/', '/a%20b', false)).toBe('/a%20b');
    expect(upstreamUri(null, '/', '/a%22b%3cc%3E', false)).toBe('/a%22b%3Cc%3E');
  });

  it('keeps reserved characters encoded and upper-cased', () => {
    expect(upstreamUri(null, '/', '/a%2fb%3fc', false)).toBe('/a%2Fb%3Fc');
  });

  it('leaves allowed characters alone', () => {
    const allowed = "/!#$&'()*+,:;=?@[]-_.~%AZaz09";
    expect(escapeUri(allowed)).toBe(allowed);
    expect(escapeUri('/a b{c}|d^e`f\\g"h<i>')).toBe('/a%20b%7Bc%7D%7Cd%5Ee%60f%5Cg%22h%3Ci%3E');
    expect(escapeUri('/😀')).toBe('/%F0%9F%98%80');
  });
});

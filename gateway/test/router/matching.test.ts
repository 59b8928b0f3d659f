import { describe, expect, it } from 'vitest';
import type { Route, Service } from '../../src/declarative/entities.js';
import { buildRouter, type RouterRequest } from '../../src/router/index.js';
import { makeRequest, makeRoute, makeService } from './fixtures.js';

function matches(route: Route, request: RouterRequest, services: Service[] = []): boolean {
  return buildRouter([route], services).match(request) !== null;
}

describe('paths', () => {
  it('prefix is a plain, case-sensitive string prefix', () => {
    const route = makeRoute({ paths: ['/api'] });
    expect(matches(route, makeRequest('/api'))).toBe(true);
    expect(matches(route, makeRequest('/api/x'))).toBe(true);
    expect(matches(route, makeRequest('/apifoo'))).toBe(true);
    expect(matches(route, makeRequest('/API'))).toBe(false);
    expect(matches(route, makeRequest('/ap'))).toBe(false);
  });

  it('regex is anchored at the start only', () => {
    const route = makeRoute({ paths: ['~/v\\d+'] });
    expect(matches(route, makeRequest('/v1/anything'))).toBe(true);
    expect(matches(route, makeRequest('/x/v1'))).toBe(false);
    const ended = makeRoute({ paths: ['~/v\\d+$'] });
    expect(matches(ended, makeRequest('/v1/x'))).toBe(false);
    expect(matches(ended, makeRequest('/v12'))).toBe(true);
  });

  it('anchors like Kong: `^` is prepended unwrapped, so only the first branch of an alternation is anchored', () => {
    const route = makeRoute({ paths: ['~/a|/b'] });
    expect(matches(route, makeRequest('/b'))).toBe(true);
    expect(matches(route, makeRequest('/x/a'))).toBe(false);
    const m = buildRouter([route], []).match(makeRequest('/x/b/c'));
    // Kong strips as many characters as the match is long, from the start of the path.
    expect(m?.forwardedPrefix).toBe('/b');
    expect(m?.upstreamUri).toBe('/b/c');
  });

  it('(?i) makes a regex case-insensitive', () => {
    const route = makeRoute({ paths: ['~(?i)/abc'] });
    expect(matches(route, makeRequest('/ABC'))).toBe(true);
  });
});

describe('normalization before matching', () => {
  it('removes dot segments and merges slashes', () => {
    const service = makeService();
    const route = makeRoute({ paths: ['/a/c'], strip_path: false }, service);
    const router = buildRouter([route], [service]);
    const m = router.match(makeRequest('/a/./b/../c'));
    expect(m?.normalizedPath).toBe('/a/c');
    expect(m?.upstreamUri).toBe('/a/c');
    expect(router.match(makeRequest('//a//c'))?.normalizedPath).toBe('/a/c');
  });

  it('keeps %2f encoded (upper-cased) so it does not act as a slash', () => {
    const route = makeRoute({ paths: ['/a/b'] });
    expect(matches(route, makeRequest('/a%2fb'))).toBe(false);
    const encoded = makeRoute({ paths: ['/a%2Fb'], strip_path: false });
    const m = buildRouter([encoded], []).match(makeRequest('/a%2fb'));
    expect(m?.normalizedPath).toBe('/a%2Fb');
    expect(m?.upstreamUri).toBe('/a%2Fb');
  });

  it('decodes unreserved triplets', () => {
    const route = makeRoute({ paths: ['/Api'] });
    const m = buildRouter([route], []).match(makeRequest('/%41pi/%7euser'));
    expect(m?.normalizedPath).toBe('/Api/~user');
  });
});

describe('methods', () => {
  it('match exactly', () => {
    const route = makeRoute({ methods: ['GET', 'HEAD'], paths: ['/'] });
    expect(matches(route, makeRequest('/', { method: 'GET' }))).toBe(true);
    expect(matches(route, makeRequest('/', { method: 'HEAD' }))).toBe(true);
    expect(matches(route, makeRequest('/', { method: 'POST' }))).toBe(false);
  });
});

describe('hosts', () => {
  it('compare with the Host header minus its port', () => {
    const route = makeRoute({ hosts: ['x.test'] });
    expect(matches(route, makeRequest('/', { host: 'x.test' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'x.test:8000' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'y.test' }))).toBe(false);
    expect(matches(route, makeRequest('/', { host: '' }))).toBe(false);
  });

  it('leading wildcard matches any depth of subdomain, not the bare domain', () => {
    const route = makeRoute({ hosts: ['*.example.com'] });
    expect(matches(route, makeRequest('/', { host: 'a.example.com' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'x.y.example.com:8000' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'example.com' }))).toBe(false);
    expect(matches(route, makeRequest('/', { host: 'aexample.com' }))).toBe(false);
  });

  it('trailing wildcard matches any last label', () => {
    const route = makeRoute({ hosts: ['example.*'] });
    expect(matches(route, makeRequest('/', { host: 'example.com' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'example.org:8443' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'api.example.com' }))).toBe(false);
    expect(matches(route, makeRequest('/', { host: 'examplecom' }))).toBe(false);
  });

  it('host:port entries also require the port: the Host port, else the listener port', () => {
    const route = makeRoute({ hosts: ['x.test:8000'] });
    expect(matches(route, makeRequest('/', { host: 'x.test:8000' }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'x.test', listenerPort: 8000 }))).toBe(true);
    expect(matches(route, makeRequest('/', { host: 'x.test:9000', listenerPort: 8000 }))).toBe(false);
    expect(matches(route, makeRequest('/', { host: 'x.test', listenerPort: 8443 }))).toBe(false);
    const wildcard = makeRoute({ hosts: ['*.x.test:8000'] });
    expect(matches(wildcard, makeRequest('/', { host: 'a.x.test:8000' }))).toBe(true);
    expect(matches(wildcard, makeRequest('/', { host: 'a.x.test:8001' }))).toBe(false);
  });

  it('any listed host is enough', () => {
    const route = makeRoute({ hosts: ['a.test', 'b.test'] });
    expect(matches(route, makeRequest('/', { host: 'b.test' }))).toBe(true);
  });
});

describe('headers', () => {
  it('compare lower-cased values; names are ANDed, values ORed', () => {
    const route = makeRoute({ headers: { version: ['v1', 'V2'], region: ['north'] } });
    expect(matches(route, makeRequest('/', { headers: { version: 'V1', region: 'North' } }))).toBe(true);
    expect(matches(route, makeRequest('/', { headers: { version: 'v2', region: 'north' } }))).toBe(true);
    expect(matches(route, makeRequest('/', { headers: { version: 'v3', region: 'north' } }))).toBe(false);
    expect(matches(route, makeRequest('/', { headers: { version: 'v1' } }))).toBe(false);
  });

  it('~* values are regexes on the lower-cased value (the configured regex is lower-cased too)', () => {
    const route = makeRoute({ headers: { 'x-id': ['~*^AB\\d+$'] } });
    expect(matches(route, makeRequest('/', { headers: { 'x-id': 'ab12' } }))).toBe(true);
    expect(matches(route, makeRequest('/', { headers: { 'x-id': 'AB12' } }))).toBe(true);
    expect(matches(route, makeRequest('/', { headers: { 'x-id': 'xab12' } }))).toBe(false);
    const unanchored = makeRoute({ headers: { 'x-id': ['~*b1'] } });
    expect(matches(unanchored, makeRequest('/', { headers: { 'x-id': 'AB12' } }))).toBe(true);
  });

  it('any of several request values may match', () => {
    const route = makeRoute({ headers: { 'x-tag': ['b'] } });
    expect(matches(route, makeRequest('/', { headers: { 'x-tag': ['a', 'B'] } }))).toBe(true);
  });

  it('configured names are case-insensitive and _ stands for -', () => {
    const route = makeRoute({ headers: { X_Custom_Header: ['1'] } });
    expect(matches(route, makeRequest('/', { headers: { 'x-custom-header': '1' } }))).toBe(true);
  });
});

describe('snis', () => {
  it('only constrain https requests', () => {
    const route = makeRoute({ snis: ['s.test'], paths: ['/'] });
    expect(matches(route, makeRequest('/', { scheme: 'http', host: 'other.test' }))).toBe(true);
    expect(matches(route, makeRequest('/', { scheme: 'https', host: 's.test' }))).toBe(true);
    expect(matches(route, makeRequest('/', { scheme: 'https', host: 'other.test' }))).toBe(false);
  });
});

describe('which routes take part', () => {
  it('leaves out routes of a disabled service', () => {
    const off = makeService({ enabled: false });
    const route = makeRoute({ paths: ['/'] }, off);
    const router = buildRouter([route], [off]);
    expect(router.size).toBe(0);
    expect(router.match(makeRequest('/'))).toBeNull();
  });

  it('keeps a route without a service (the proxy answers 503)', () => {
    const route = makeRoute({ paths: ['/'] });
    const m = buildRouter([route], []).match(makeRequest('/x'));
    expect(m?.route).toBe(route);
    expect(m?.service).toBeNull();
  });

  it('ignores protocols as a match condition but leaves out non-HTTP routes', () => {
    const httpsOnly = makeRoute({ protocols: ['https'], paths: ['/s'] });
    const tcp = makeRoute({ protocols: ['tcp'], destinations: [{ port: 9000 }] });
    const grpc = makeRoute({ protocols: ['grpc'], paths: ['/g'] });
    const router = buildRouter([httpsOnly, tcp, grpc], []);
    expect(router.size).toBe(1);
    expect(router.match(makeRequest('/s', { scheme: 'http' }))?.route).toBe(httpsOnly);
    expect(router.match(makeRequest('/g'))).toBeNull();
  });

  it('returns null when nothing matches', () => {
    expect(buildRouter([], []).match(makeRequest('/'))).toBeNull();
    expect(buildRouter([makeRoute({ paths: ['/a'] })], []).match(makeRequest('/b'))).toBeNull();
  });

  it('returns the service of the matched route', () => {
    const one = makeService({ host: 'one.test' });
    const two = makeService({ host: 'two.test' });
    const router = buildRouter([makeRoute({ paths: ['/one'] }, one), makeRoute({ paths: ['/two'] }, two)], [one, two]);
    expect(router.size).toBe(2);
    expect(router.match(makeRequest('/two'))?.service).toBe(two);
  });
});

describe('captures', () => {
  it('exposes numbered and named groups, (?P<name>…) and (?<name>…)', () => {
    const route = makeRoute({ paths: ['~/users/(?P<id>\\d+)/(\\w+)/(?<tail>.*)$'] });
    const m = buildRouter([route], []).match(makeRequest('/users/42/profile/x/y'));
    expect(m?.captures).toEqual({ whole: '/users/42/profile/x/y', unnamed: ['42', 'profile', 'x/y'], named: { id: '42', tail: 'x/y' } });
  });

  it('reports a group that did not take part as empty (unnamed) or absent (named)', () => {
    const route = makeRoute({ paths: ['~/v(?<minor>\\.\\d+)?(/x)?'] });
    const m = buildRouter([route], []).match(makeRequest('/v/y'));
    expect(m?.captures).toEqual({ whole: '/v', unnamed: ['', ''], named: {} });
  });

  it('have no whole match for a regex without groups (Kong then has no uri_captures)', () => {
    const m = buildRouter([makeRoute({ paths: ['~/plain/\\d+'] })], []).match(makeRequest('/plain/12'));
    expect(m?.captures).toEqual({ whole: null, unnamed: [], named: {} });
  });

  it('are empty for prefix routes', () => {
    const m = buildRouter([makeRoute({ paths: ['/p'] })], []).match(makeRequest('/p'));
    expect(m?.captures).toEqual({ whole: null, unnamed: [], named: {} });
  });

  it('come from the regex that matched in a multi-regex route', () => {
    const route = makeRoute({ paths: ['~/a/(?<x>\\d+)', '~/b/(?<y>\\d+)'] });
    const m = buildRouter([route], []).match(makeRequest('/b/7'));
    expect(m?.captures.named).toEqual({ y: '7' });
  });
});

import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/declarative/entities.js';
import { buildRouter, type RouterRequest } from '../../src/router/index.js';
import { routePriority, splitByPath } from '../../src/router/priority.js';
import { uuidV5 } from '../../src/router/uuid-v5.js';
import { makeRequest, makeRoute, uuid } from './fixtures.js';

/** Name of the winning route, or null. */
function winner(routes: Route[], request: RouterRequest): string | null {
  return buildRouter(routes, []).match(request)?.route.name ?? null;
}

/** Routes are listed in both orders, so order of declaration cannot be what decides. */
function expectWinner(routes: Route[], request: RouterRequest, expected: string): void {
  expect(winner(routes, request)).toBe(expected);
  expect(winner([...routes].reverse(), request)).toBe(expected);
}

describe('§3.3 worked examples', () => {
  // In each case the expected winner has the smaller UUID, so the tie-break cannot explain the result.
  it('longer prefix wins', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['/'] });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['/api'] });
    expectWinner([a, b], makeRequest('/api/x'), 'B');
  });

  it('regex beats prefix', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['/api'] });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['~/api/\\d+$'] });
    expectWinner([a, b], makeRequest('/api/12'), 'B');
    expectWinner([a, b], makeRequest('/api/x'), 'A');
  });

  it('higher regex_priority wins', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['~/v/\\d+'], regex_priority: 0 });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['~/v/.*'], regex_priority: 5 });
    expectWinner([a, b], makeRequest('/v/1'), 'B');
  });

  it('more matching fields win (weight)', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', hosts: ['x.com'] });
    const b = makeRoute({ id: uuid(1), name: 'B', hosts: ['x.com'], methods: ['POST'] });
    expectWinner([a, b], makeRequest('/', { method: 'POST', host: 'x.com' }), 'B');
    expectWinner([a, b], makeRequest('/', { method: 'GET', host: 'x.com' }), 'A');
  });

  it('paths:[/] beats a wildcard host: neither has the plain-host bit, the prefix length decides', () => {
    const a = makeRoute({ id: uuid(1), name: 'A', paths: ['/'] });
    const b = makeRoute({ id: uuid(2), name: 'B', hosts: ['*.x.com'] });
    expectWinner([a, b], makeRequest('/', { host: 'a.x.com' }), 'A');
  });

  it('plain host beats wildcard host', () => {
    const a = makeRoute({ id: uuid(1), name: 'A', hosts: ['api.x.com'] });
    const b = makeRoute({ id: uuid(2), name: 'B', hosts: ['*.x.com'] });
    expectWinner([a, b], makeRequest('/', { host: 'api.x.com' }), 'A');
    expectWinner([a, b], makeRequest('/', { host: 'web.x.com' }), 'B');
  });
});

describe('priority fields', () => {
  it('regex_priority orders regex routes, negative values below zero', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['~/r'], regex_priority: -1 });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['~/r'], regex_priority: 0 });
    expectWinner([a, b], makeRequest('/r'), 'B');
  });

  it('regex_priority does not lift a prefix route', () => {
    const a = makeRoute({ id: uuid(1), name: 'A', paths: ['/p'], regex_priority: 100 });
    const b = makeRoute({ id: uuid(2), name: 'B', paths: ['/p'] });
    expect(routePriority(a, a.paths)).toBe(routePriority(b, b.paths));
    expectWinner([a, b], makeRequest('/p'), 'B');
  });

  it('a higher header count wins at equal weight', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', headers: { 'x-a': ['1'] } });
    const b = makeRoute({ id: uuid(1), name: 'B', headers: { 'x-a': ['1'], 'x-b': ['2'] } });
    expectWinner([a, b], makeRequest('/', { headers: { 'x-a': '1', 'x-b': '2' } }), 'B');
    expectWinner([a, b], makeRequest('/', { headers: { 'x-a': '1' } }), 'A');
  });

  it('header count ranks above the regex bit', () => {
    const a = makeRoute({ id: uuid(1), name: 'A', headers: { 'x-a': ['1'] }, paths: ['/api'] });
    const b = makeRoute({ id: uuid(2), name: 'B', headers: { 'x-z': ['~*.'] }, paths: ['~/api'] });
    // equal weight (2), equal header count (1): regex wins
    expectWinner([a, b], makeRequest('/api', { headers: { 'x-a': '1', 'x-z': 'q' } }), 'B');
    const c = makeRoute({ id: uuid(1), name: 'C', headers: { 'x-a': ['1'], 'x-b': ['2'] }, paths: ['/api'] });
    expectWinner([b, c], makeRequest('/api', { headers: { 'x-a': '1', 'x-b': '2', 'x-z': 'q' } }), 'C');
  });

  it('encodes the documented bit layout', () => {
    const prefix = makeRoute({ paths: ['/api'] });
    expect(routePriority(prefix, prefix.paths)).toBe((1n << 61n) | 4n);
    const hosted = makeRoute({ hosts: ['a.test'], methods: ['GET'], headers: { a: ['1'], b: ['2'] }, paths: ['/xy'] });
    expect(routePriority(hosted, hosted.paths)).toBe((4n << 61n) | (1n << 60n) | (2n << 52n) | 3n);
    const wildcard = makeRoute({ hosts: ['a.test', '*.b.test'] });
    expect(routePriority(wildcard, null)).toBe(1n << 61n);
    const regex = makeRoute({ paths: ['~/x'] });
    expect(routePriority(regex, regex.paths) & ((1n << 61n) | (1n << 51n) | 0x7ffffn)).toBe((1n << 61n) | (1n << 51n));
  });

  it('counts prefix length in bytes', () => {
    const route = makeRoute({ paths: ['/é'] });
    expect(routePriority(route, route.paths) & 0x7ffffn).toBe(3n);
  });
});

describe('multi-path routes are split', () => {
  it('each prefix length competes on its own', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['/a', '/abcd'] });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['/ab'] });
    expectWinner([a, b], makeRequest('/abcd/x'), 'A');
    // As one route A would rank with length 4 and win; split, its /a piece has length 2.
    expectWinner([a, b], makeRequest('/abc'), 'B');
    expectWinner([a, b], makeRequest('/a'), 'A');
  });

  it('regex paths form one piece, prefix paths another', () => {
    const a = makeRoute({ id: uuid(2), name: 'A', paths: ['/x', '~/y/\\d+'] });
    const b = makeRoute({ id: uuid(1), name: 'B', paths: ['/xlong'] });
    expectWinner([a, b], makeRequest('/xlong'), 'B');
    expectWinner([a, b], makeRequest('/y/1'), 'A');
  });

  it('pieces get Kong’s derived v5 ids, also when every path has the same length', () => {
    const route = makeRoute({ id: uuid(7), paths: ['/aa', '/bb', '~/c', '/ddd'] });
    const ns = '7f145bf9-0dce-4f91-98eb-debbce4b9f6b';
    expect(splitByPath(route)).toEqual([
      { id: uuidV5(ns, `${uuid(7)}#3`), paths: ['/aa', '/bb'] },
      { id: uuidV5(ns, `${uuid(7)}#true`), paths: ['~/c'] },
      { id: uuidV5(ns, `${uuid(7)}#4`), paths: ['/ddd'] },
    ]);
    const single = makeRoute({ id: uuid(8), paths: ['/aa'] });
    expect(splitByPath(single)).toEqual([{ id: uuid(8), paths: ['/aa'] }]);
  });

  it('the derived id decides ties', () => {
    // The split piece of `split` (/tt and /uu, length 3) competes under a derived id, not uuid(9):
    // a same-priority route wins or loses against that id, whatever uuid(9) is.
    const split = makeRoute({ id: uuid(9), name: 'split', paths: ['/tt', '/uu'] });
    const greatest = makeRoute({ id: 'ffffffff-ffff-4fff-bfff-ffffffffffff', name: 'greatest', paths: ['/tt'] });
    expectWinner([split, greatest], makeRequest('/tt'), 'greatest');
    const smallest = makeRoute({ id: '00000000-0000-4000-8000-000000000000', name: 'smallest', paths: ['/tt'] });
    expectWinner([split, smallest], makeRequest('/tt'), 'split');
    // uuid(10) > uuid(9), but the derived id is greater than both.
    const ns = '7f145bf9-0dce-4f91-98eb-debbce4b9f6b';
    expect(uuidV5(ns, `${uuid(9)}#3`) > uuid(10)).toBe(true);
    const next = makeRoute({ id: uuid(10), name: 'next', paths: ['/tt'] });
    expectWinner([split, next], makeRequest('/tt'), 'split');
  });
});

describe('ties', () => {
  it('the greater route UUID wins', () => {
    const a = makeRoute({ id: uuid(0xa), name: 'A', paths: ['/same'] });
    const b = makeRoute({ id: uuid(0xb), name: 'B', paths: ['/same'] });
    expectWinner([a, b], makeRequest('/same'), 'B');
  });

  it('does not use created_at', () => {
    const older = makeRoute({ id: uuid(1), name: 'older', paths: ['/same'], created_at: 1 });
    const newer = makeRoute({ id: uuid(2), name: 'newer', paths: ['/same'], created_at: 2 });
    expectWinner([older, newer], makeRequest('/same'), 'newer');
  });
});

// proxy-cache's pure parts, after spec/03-plugins/31-proxy-cache/05-cache_key_spec.lua: the key
// prefixes, params and headers components, the directive and mime parsing, and the memory dict's LRU cap.

import { createHash } from 'node:crypto';
import type { ArgValue } from '../../src/http/ngx-args.js';
import { describe, expect, it } from 'vitest';
import { buildCacheKey, headersKey, paramsKey, prefixUuid } from '../../src/plugins/proxy-cache/cache-key.js';
import { contentTypeMatches, parseDirectives, parseMimeType, resourceTtl } from '../../src/plugins/proxy-cache/directives.js';
import { MemoryStrategy, type CachedResponse } from '../../src/plugins/proxy-cache/memory-strategy.js';

const CONSUMER1 = 'c1c1c1c1-0000-4000-8000-000000000001';
const CONSUMER2 = 'c2c2c2c2-0000-4000-8000-000000000002';
const ROUTE1 = 'a1a1a1a1-0000-4000-8000-000000000001';
const ROUTE2 = 'a2a2a2a2-0000-4000-8000-000000000002';

describe('prefix_uuid', () => {
  it('is distinct per consumer and per route, the route alone without a consumer, default without a route', () => {
    expect(prefixUuid(CONSUMER1, ROUTE1)).not.toBe(prefixUuid(CONSUMER1, ROUTE2));
    expect(prefixUuid(CONSUMER1, ROUTE1)).not.toBe(prefixUuid(CONSUMER2, ROUTE1));
    expect(prefixUuid(null, ROUTE1)).toBe(ROUTE1);
    expect(prefixUuid(null, ROUTE1)).not.toBe(prefixUuid(CONSUMER1, ROUTE1));
    expect(prefixUuid(null, null)).toBe('default');
    expect(prefixUuid(CONSUMER1, null)).toBe('default');
  });
});

describe('params_key and headers_key', () => {
  it('take every query arg sorted by name by default, only the listed ones otherwise', () => {
    expect(paramsKey(new Map<string, ArgValue>([['b', '2'], ['a', '1']]), null)).toBe('a=1:b=2');
    expect(paramsKey(new Map(), null)).toBe('');
    expect(paramsKey(new Map(), ['a'])).toBe('');
    expect(paramsKey(new Map<string, ArgValue>([['a', '1'], ['b', '2']]), ['a'])).toBe('a=1');
    expect(paramsKey(new Map<string, ArgValue>([['a', ['2', '1']], ['b', '2']]), ['a', 'b', 'c'])).toBe('a=1,2:b=2');
    expect(paramsKey(new Map<string, ArgValue>([['flag', true]]), null)).toBe('flag');
  });

  it('take no header unless vary_headers lists it, looked up whatever its case', () => {
    expect(headersKey(new Map<string, ArgValue>([['a', '1']]), null)).toBe('');
    expect(headersKey(new Map<string, ArgValue>([['x-tenant', ['b', 'a']], ['b', '2']]), ['X-Tenant', 'b'])).toBe('X-Tenant=a,b:b=2');
  });

  it('hashes prefix|method|uri|params|headers with sha256 (64 hex)', () => {
    const key = buildCacheKey({
      consumerId: null,
      routeId: ROUTE1,
      method: 'GET',
      uri: 'GET /get',
      query: new Map<string, ArgValue>([['a', '1']]),
      headers: new Map(),
      varyQueryParams: null,
      varyHeaders: null,
    });
    expect(key).toBe(createHash('sha256').update(`${ROUTE1}|GET|GET /get|a=1|`).digest('hex'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Cache-Control and content types', () => {
  it('parses directives: numbers, strings and flags, names lower-cased, repeated headers joined', () => {
    const cc = parseDirectives(['public, Max-Age=60', 'no-cache="set-cookie"']);
    expect(cc.get('public')).toBe(true);
    expect(cc.get('max-age')).toBe(60);
    expect(cc.get('no-cache')).toBe('"set-cookie"');
    expect(parseDirectives(undefined).size).toBe(0);
  });

  it('takes the lifetime from s-maxage, then max-age, then Expires, never below zero', () => {
    const now = 1_700_000_000;
    expect(resourceTtl(parseDirectives('max-age=10, s-maxage=20'), [], now)).toBe(20);
    expect(resourceTtl(parseDirectives('max-age=10'), [], now)).toBe(10);
    expect(resourceTtl(parseDirectives('public'), [new Date((now + 30) * 1000).toUTCString()], now)).toBe(30);
    expect(resourceTtl(parseDirectives('public'), [new Date((now - 30) * 1000).toUTCString()], now)).toBe(0);
    expect(resourceTtl(parseDirectives('public'), [], now)).toBe(0);
  });

  it('matches content types exactly, with wildcards and the same parameters', () => {
    const json = parseMimeType('application/json')!;
    const jsonUtf8 = parseMimeType('Application/JSON; charset=utf-8')!;
    expect(contentTypeMatches(json, parseMimeType('application/json')!)).toBe(true);
    expect(contentTypeMatches(jsonUtf8, parseMimeType('application/json')!)).toBe(false);
    expect(contentTypeMatches(jsonUtf8, parseMimeType('application/json; charset=utf-8')!)).toBe(true);
    expect(contentTypeMatches(jsonUtf8, parseMimeType('application/*; charset=utf-8')!)).toBe(true);
    expect(contentTypeMatches(json, parseMimeType('*/*')!)).toBe(true);
    expect(contentTypeMatches(parseMimeType('text/html')!, parseMimeType('text/plain')!)).toBe(false);
    expect(parseMimeType('not a type')).toBeNull();
  });
});

function entry(bodyBytes: number): CachedResponse {
  const body = Buffer.alloc(bodyBytes, 'x');
  return { status: 200, headers: { 'Content-Type': 'text/plain' }, body, body_len: bodyBytes, timestamp: 1, ttl: 300, version: 1, req_body: null };
}

describe('the memory dict', () => {
  it('evicts the least recently used entries once over its size, and refuses an entry larger than itself', () => {
    const dict = new MemoryStrategy(3_000);
    expect(dict.store('a', entry(900), 300)).toBe(true);
    expect(dict.store('b', entry(900), 300)).toBe(true);
    expect(dict.store('c', entry(900), 300)).toBe(true);
    // a is read, so b is now the least recently used.
    expect(dict.fetch('a')).toBeDefined();
    dict.store('d', entry(900), 300);
    expect(dict.fetch('b')).toBeUndefined();
    expect(dict.fetch('a')).toBeDefined();
    expect(dict.fetch('d')).toBeDefined();
    expect(dict.bytes).toBeLessThanOrEqual(3_000);
    expect(dict.store('huge', entry(5_000), 300)).toBe(false);
    expect(dict.fetch('huge')).toBeUndefined();
  });

  it('forgets an entry after its storage ttl; ttl 0 keeps it', () => {
    const dict = new MemoryStrategy(1 << 20);
    dict.store('short', entry(10), 5, 1_000_000);
    dict.store('forever', entry(10), 0, 1_000_000);
    expect(dict.fetch('short', 1_004_999)).toBeDefined();
    expect(dict.fetch('short', 1_005_000)).toBeUndefined();
    expect(dict.size).toBe(1);
    expect(dict.fetch('forever', 9_999_999_999)).toBeDefined();
  });
});

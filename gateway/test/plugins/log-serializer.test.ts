// The log line tcp-log sends (kong.log.serialize as cjson text), and the per-configuration cache of
// the route, service and consumer JSON in it.

import { describe, expect, it } from 'vitest';
import { EntityFragments, serializeLogLine } from '../../src/plugins/log-serializer.js';
import type { ExchangeRecord, PluginContext } from '../../src/plugins/types.js';
import { consumer, fakeContext, route, service } from './fake-context.js';

const KEY = 'secret-key-value';

function exchange(overrides: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    secrets: new Set([KEY]),
    host: 'gateway.test',
    listenerPort: 8000,
    requestSize: 120,
    upstreamUri: `/anything/a/b?apikey=${KEY}`,
    upstreamStatus: 200,
    tries: [{ ip: '127.0.0.1', port: 8080, balancerStart: 1_754_923_669_001 }],
    responseHeaders: ['Content-Type', 'application/json', 'X-Kong-Request-Id', 'abc'],
    bytesSent: 400,
    latencies: { kong: 1, proxy: 2, request: 3, receive: 0 },
    source: 'upstream',
    ...overrides,
  };
}

function logContext(options: Parameters<typeof fakeContext>[0], record: ExchangeRecord = exchange()): PluginContext {
  const ctx = fakeContext(options);
  Object.defineProperty(ctx, 'exchange', { value: record });
  ctx.responseStatus = 200;
  return ctx;
}

describe('serializeLogLine', () => {
  const routeEntity = { ...route('a1a1a1a1-0000-4000-8000-000000000001', 'b1b1b1b1-0000-4000-8000-000000000001'), name: 'logged', paths: ['/logged'] };
  const serviceEntity = { ...service('b1b1b1b1-0000-4000-8000-000000000001'), name: 'echo', path: '/anything' };
  const consumerEntity = consumer('c1c1c1c1-0000-4000-8000-000000000001', 'consumer2', 'c-2');

  it("writes lua-cjson's text in the serializer's field order, with route, service and consumer as loaded", () => {
    const ctx = logContext({
      path: '/logged/a/b',
      query: `apikey=${KEY}&page=1`,
      headers: [['Host', 'gateway.test'], ['apikey', KEY], ['Authorization', 'Basic dXNlcjpwYXNz']],
      route: routeEntity,
      service: serviceEntity,
      consumer: consumerEntity,
      credential: { id: 'd1d1d1d1-0000-4000-8000-000000000001', kind: 'key-auth', identifier: 'd1d1d1d1-0000-4000-8000-000000000001' },
    });
    const line = serializeLogLine(ctx, new EntityFragments());
    const json = JSON.parse(line);
    expect(line).toBe(JSON.stringify(json).replace(/\//g, '\\/'));
    expect(Object.keys(json)).toEqual([
      'request', 'upstream_uri', 'upstream_status', 'response', 'latencies', 'tries', 'authenticated_entity',
      'route', 'service', 'consumer', 'client_ip', 'started_at', 'source', 'workspace', 'workspace_name',
    ]);
    expect(json.route).toEqual(routeEntity);
    expect(json.service).toEqual(serviceEntity);
    expect(json.consumer).toEqual(consumerEntity);
    expect(json.request).toMatchObject({ uri: '/logged/a/b?apikey=REDACTED&page=1', querystring: { apikey: 'REDACTED', page: '1' } });
    expect(json.request.headers).toMatchObject({ apikey: 'REDACTED', authorization: 'REDACTED' });
    expect(json.upstream_uri).toBe('/anything/a/b?apikey=REDACTED');
    expect(line).not.toContain(KEY);
    expect(line).toContain('"uri":"\\/logged\\/a\\/b?apikey=REDACTED&page=1"');
  });

  it('leaves out what the request did not have: no route, service, consumer, tries or credential', () => {
    const line = serializeLogLine(logContext({}, exchange({ tries: [], upstreamUri: null, upstreamStatus: null, source: 'kong' })), new EntityFragments());
    const json = JSON.parse(line);
    expect(Object.keys(json)).toEqual([
      'request', 'upstream_uri', 'upstream_status', 'response', 'latencies', 'client_ip', 'started_at', 'source', 'workspace', 'workspace_name',
    ]);
    expect(json).toMatchObject({ upstream_uri: '', upstream_status: '', source: 'kong' });
  });
});

describe('EntityFragments', () => {
  it('encodes an entity once and reuses the text; clear() (a new configuration) encodes it again', () => {
    const fragments = new EntityFragments();
    const entity = consumer('c1c1c1c1-0000-4000-8000-000000000001', 'before');
    expect(fragments.of(entity)).toBe(JSON.stringify(entity));
    // Entities of a loaded configuration never change; the mutation only shows which text is served.
    entity.username = 'after';
    expect(fragments.of(entity)).toContain('"username":"before"');
    fragments.clear();
    expect(fragments.of(entity)).toContain('"username":"after"');
  });

  it('keeps a text per entity object: an entity of a new configuration is never served an older one', () => {
    const fragments = new EntityFragments();
    const old = consumer('c1c1c1c1-0000-4000-8000-000000000001', 'old');
    const fresh = consumer('c1c1c1c1-0000-4000-8000-000000000001', 'fresh');
    expect(fragments.of(old)).toContain('"username":"old"');
    expect(fragments.of(fresh)).toContain('"username":"fresh"');
  });
});

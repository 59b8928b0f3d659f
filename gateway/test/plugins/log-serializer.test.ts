// The log line tcp-log sends (kong.log.serialize as cjson text), and the per-configuration cache of
// the route, service and consumer JSON in it.

import { describe, expect, it } from 'vitest';
import { cjsonEncode } from '../../src/admin/http.js';
import { parseArgs, type ArgValue } from '../../src/http/ngx-args.js';
import { EntityFragments, REDACTED, redactTarget as redactTargetOf, serializeLogLine, DEFAULT_WORKSPACE_ID, DEFAULT_WORKSPACE_NAME } from '../../src/plugins/log-serializer.js';
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

/**
 * The log record as an object, encoded by cjsonEncode: how the line was made before it was written out
 * as text. The text must stay the same, byte for byte, whatever the headers and query hold.
 */
function referenceLine(ctx: PluginContext): string {
  const record = ctx.exchange;
  const secrets = record.secrets;
  const redact = (value: string) => (secrets.has(value) ? REDACTED : value);
  // The query's redaction did not change; the reference reuses it.
  const redactTarget = (target: string) => redactTargetOf(target, secrets);
  const table = (lines: readonly string[], redactOne: (name: string, value: string) => string) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < lines.length; i += 2) {
      const name = lines[i].toLowerCase();
      const value = redactOne(name, lines[i + 1]);
      const previous = out[name];
      if (previous === undefined) out[name] = value;
      else if (Array.isArray(previous)) previous.push(value);
      else out[name] = [previous, value];
    }
    return out;
  };
  const querystring: Record<string, unknown> = {};
  for (const [name, value] of parseArgs(ctx.request.rawQuery) as Map<string, ArgValue>) {
    const one = (v: string | true) => (v === true ? true : redact(v));
    querystring[name] = Array.isArray(value) ? value.map(one) : one(value);
  }
  const uri = redactTarget(ctx.request.rawTarget);
  return cjsonEncode({
    request: {
      id: ctx.requestId,
      uri,
      url: `http://${record.host}:${record.listenerPort}${uri}`,
      querystring,
      method: ctx.request.method,
      headers: table(ctx.request.rawHeaders, (name, value) => (name === 'authorization' || name === 'proxy-authorization' ? REDACTED : redact(value))),
      size: record.requestSize,
    },
    upstream_uri: record.upstreamUri === null ? '' : redactTarget(record.upstreamUri),
    upstream_status: record.upstreamStatus === null ? '' : String(record.upstreamStatus),
    response: { status: ctx.responseStatus ?? 0, headers: table(record.responseHeaders, (_name, value) => redact(value)), size: record.bytesSent },
    latencies: record.latencies,
    tries: record.tries.length === 0 ? undefined : record.tries.map((t) => ({ ip: t.ip, port: t.port, balancer_start: t.balancerStart, balancer_latency: 0 })),
    authenticated_entity: ctx.credential === null ? undefined : { id: ctx.credential.id, consumer_id: ctx.consumer?.id ?? null },
    route: ctx.route ?? undefined,
    service: ctx.service ?? undefined,
    consumer: ctx.consumer ?? undefined,
    client_ip: ctx.request.clientIp,
    started_at: ctx.startedAt,
    source: record.source,
    workspace: DEFAULT_WORKSPACE_ID,
    workspace_name: DEFAULT_WORKSPACE_NAME,
  });
}

describe('serializeLogLine written as text', () => {
  const routeEntity = { ...route('a1a1a1a1-0000-4000-8000-000000000001', 'b1b1b1b1-0000-4000-8000-000000000001'), name: 'r/1', paths: ['/logged'] };
  const serviceEntity = { ...service('b1b1b1b1-0000-4000-8000-000000000001'), name: 'echo' };
  const consumerEntity = consumer('c1c1c1c1-0000-4000-8000-000000000001', 'consumer "two"', 'c-2');
  const credential = { id: 'd1d1d1d1-0000-4000-8000-000000000001', kind: 'key-auth' as const, identifier: 'd1' };

  const cases: Array<[string, Parameters<typeof fakeContext>[0], Partial<ExchangeRecord>]> = [
    ['a plain proxied request', { path: '/logged/a', headers: [['Host', 'gw'], ['apikey', KEY], ['User-Agent', 'curl/8.5.0']], route: routeEntity, service: serviceEntity, consumer: consumerEntity, credential }, {}],
    [
      'repeated header names in any case, a secret among them, values needing escapes',
      {
        path: '/logged/ünïcode/"quoted"',
        query: 'a=1&a=2&flag&k=' + KEY + '&%2Fslash=%22',
        headers: [['X-Multi', 'one'], ['x-multi', 'two/2'], ['X-MULTI', KEY], ['Quote', 'say "hi"\\'], ['Ctl', 'tab\there'], ['Emoji', '\u{1f600} é']],
        credential,
      },
      { responseHeaders: ['Set-Cookie', 'a=1; Path=/', 'Set-Cookie', 'b=2', 'Via', '1.1 kong/3.11.0', 'X-Secret', KEY] },
    ],
    [
      'names an object would reorder or drop: digits first, __proto__',
      { headers: [['b-first', '1'], ['123', 'digits'], ['0', 'zero'], ['__proto__', 'p'], ['9lives', 'x']] },
      { responseHeaders: ['Z', 'z', '42', 'answer', '__proto__', '{}'] },
    ],
    ['no upstream, no tries, no credential', {}, { tries: [], upstreamUri: null, upstreamStatus: null, source: 'kong', latencies: { kong: 0.5, proxy: -1, request: 1e21, receive: 0 } }],
    ['more header lines than are built by hand', { headers: Array.from({ length: 80 }, (_, i): [string, string] => [`X-H${i % 50}`, `v/${i}`]) }, {}],
  ];

  it.each(cases)('is the text cjsonEncode gives for the record as an object: %s', (_name, options, overrides) => {
    const ctx = logContext(options, exchange(overrides));
    const line = serializeLogLine(ctx, new EntityFragments());
    expect(line).toBe(referenceLine(ctx));
    expect(line).not.toContain(KEY);
    expect(() => JSON.parse(line)).not.toThrow();
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

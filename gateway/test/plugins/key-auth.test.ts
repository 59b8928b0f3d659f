import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyAuthHandler } from '../../src/plugins/key-auth/handler.js';
import { KongExit } from '../../src/plugins/types.js';
import type { KeyAuthConfig, Plugin } from '../../src/plugins/types.js';
import { consumer, fakeContext, keyAuthConfig, plugin } from './fake-context.js';
import type { FakeContextOptions } from './fake-context.js';

const alice = consumer('a1111111-0000-4000-8000-000000000001', 'alice', 'alice-custom');
const bob = consumer('b2222222-0000-4000-8000-000000000002', 'bob');
const guest = consumer('99999999-0000-4000-8000-000000000009', 'guest');
const CREDENTIAL_ID = 'cred0001-0000-4000-8000-000000000001';
const NOW = Date.UTC(2025, 7, 11, 14, 47, 49);

const credentials = [
  { id: CREDENTIAL_ID, key: '123456', consumerId: alice.id },
  { id: 'cred0002-0000-4000-8000-000000000002', key: 'Secret-Key', consumerId: bob.id },
  // ttl 60 s, created 30 s ago: still valid. Created 61 s ago: expired.
  { id: 'cred0003-0000-4000-8000-000000000003', key: 'fresh', consumerId: bob.id, ttl: 60, createdAt: NOW / 1000 - 30 },
  { id: 'cred0004-0000-4000-8000-000000000004', key: 'stale', consumerId: bob.id, ttl: 60, createdAt: NOW / 1000 - 61 },
  { id: 'cred0005-0000-4000-8000-000000000005', key: 'orphan', consumerId: 'no-such-consumer' },
];

async function run(options: FakeContextOptions, overrides: Partial<KeyAuthConfig> = {}) {
  const config = keyAuthConfig(overrides);
  const instance = plugin('key-auth', config) as Plugin<KeyAuthConfig>;
  const ctx = fakeContext({ consumers: [alice, bob, guest], credentials, startedAt: NOW, ...options });
  const exit = (await keyAuthHandler.access!(ctx, config, instance)) ?? null;
  return { ctx, exit };
}

const unauthorized = (message: string, challenge = 'Key') => new KongExit(401, message, { 'WWW-Authenticate': challenge });
const NO_KEY = unauthorized('No API key found in request');
const DUPLICATE = unauthorized('Duplicate API key found');
const INVALID = unauthorized('Unauthorized');

describe('key-auth identity', () => {
  it('has PRIORITY 1250 and cannot be consumer-scoped', () => {
    expect(keyAuthHandler.name).toBe('key-auth');
    expect(keyAuthHandler.priority).toBe(1250);
    expect(keyAuthHandler.noConsumer).toBe(true);
  });
});

describe('finding the key (§5.3)', () => {
  it('accepts the key in a header, whatever its case', async () => {
    for (const name of ['apikey', 'APIKEY', 'ApiKey']) {
      const { ctx, exit } = await run({ headers: [[name, '123456']] });
      expect(exit).toBeNull();
      expect(ctx.consumer?.id).toBe(alice.id);
    }
  });

  it('maps `_` in a key name to `-` for headers, as ngx.req.get_headers does', async () => {
    for (const header of ['Api-Key', 'api-key', 'API_KEY', 'api_key']) {
      const { exit } = await run({ headers: [[header, '123456']] }, { key_names: ['api_key'] });
      expect(exit).toBeNull();
    }
  });

  it('takes the key from the query string, with case-sensitive names', async () => {
    expect((await run({ query: 'apikey=123456' })).exit).toBeNull();
    expect((await run({ query: 'APIKEY=123456' })).exit).toEqual(NO_KEY);
    expect((await run({ query: 'x=1&%61pikey=123456' })).exit).toBeNull();
  });

  it('decodes query values (%XX and +)', async () => {
    const { ctx } = await run({ query: 'apikey=Secret%2DKey' });
    expect(ctx.consumer?.id).toBe(bob.id);
    expect((await run({ query: 'apikey=Secret+Key' })).exit).toEqual(INVALID);
  });

  it('prefers the header to the query for the same name', async () => {
    const { ctx } = await run({ headers: { apikey: '123456' }, query: 'apikey=Secret-Key' });
    expect(ctx.consumer?.id).toBe(alice.id);
  });

  it('an earlier key name beats a later one, wherever the later one is', async () => {
    const { ctx } = await run(
      { headers: { second: '123456' }, query: 'first=Secret-Key' },
      { key_names: ['first', 'second'] },
    );
    expect(ctx.consumer?.id).toBe(bob.id);
  });

  it('ignores the header when key_in_header=false and the query when key_in_query=false', async () => {
    expect((await run({ headers: { apikey: '123456' } }, { key_in_header: false })).exit).toEqual(NO_KEY);
    expect((await run({ query: 'apikey=123456' }, { key_in_query: false })).exit).toEqual(NO_KEY);
    expect((await run({ headers: { apikey: '123456' } }, { key_in_query: false })).exit).toBeNull();
  });

  it('answers 401 Duplicate API key found for a repeated header or query arg', async () => {
    expect((await run({ headers: [['apikey', '123456'], ['APIKEY', '123456']] })).exit).toEqual(DUPLICATE);
    expect((await run({ query: 'apikey=a&apikey=b' })).exit).toEqual(DUPLICATE);
    expect((await run({ query: 'apikey=a&apikey' })).exit).toEqual(DUPLICATE);
  });

  it('ignores a query flag without `=` (boolean true) and moves on to the next name', async () => {
    expect((await run({ query: 'apikey' })).exit).toEqual(NO_KEY);
    const { ctx, exit } = await run({ query: 'apikey&other=123456' }, { key_names: ['apikey', 'other'] });
    expect(exit).toBeNull();
    expect(ctx.consumer?.id).toBe(alice.id);
  });

  it('answers 401 No API key found in request for a missing or empty key', async () => {
    expect((await run({})).exit).toEqual(NO_KEY);
    expect((await run({ query: 'apikey=' })).exit).toEqual(NO_KEY);
    expect((await run({ headers: { apikey: '' } })).exit).toEqual(NO_KEY);
  });

  it('answers 401 Unauthorized for an unknown key; keys are case-sensitive', async () => {
    expect((await run({ headers: { apikey: '12' } })).exit).toEqual(INVALID);
    expect((await run({ headers: { apikey: 'secret-key' } })).exit).toEqual(INVALID);
  });

  it('honours credential ttl: created_at + ttl seconds', async () => {
    expect((await run({ headers: { apikey: 'fresh' } })).exit).toBeNull();
    expect((await run({ headers: { apikey: 'stale' } })).exit).toEqual(INVALID);
  });

  it('answers 500 when the credential points to no consumer (no WWW-Authenticate)', async () => {
    expect((await run({ headers: { apikey: 'orphan' } })).exit).toEqual(new KongExit(500, 'An unexpected error occurred'));
  });
});

describe('keys in the body (key_in_body)', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const boundary = 'XyZ123';
  const multipartType = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const multipart = (...fields: Array<[string, string]>) =>
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
    `--${boundary}--\r\n`;

  it('reads form-urlencoded, JSON and multipart bodies', async () => {
    for (const [headers, body] of [
      [form, 'a=1&apikey=123456'],
      [json, '{"a":1,"apikey":"123456"}'],
      [multipartType, multipart(['a', '1'], ['apikey', '123456'])],
    ] as const) {
      const { ctx, exit } = await run({ method: 'POST', headers, body }, { key_in_body: true });
      expect(exit).toBeNull();
      expect(ctx.consumer?.id).toBe(alice.id);
    }
  });

  it('also reads a multipart file part and a quoted boundary', async () => {
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="apikey"; filename="k.txt"\r\nContent-Type: text/plain\r\n\r\n123456\r\n--${boundary}--\r\n`;
    const { exit } = await run(
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` }, body },
      { key_in_body: true },
    );
    expect(exit).toBeNull();
  });

  it('uses body names case-sensitively and ignores the body unless key_in_body', async () => {
    expect((await run({ method: 'POST', headers: form, body: 'APIKEY=123456' }, { key_in_body: true })).exit).toEqual(NO_KEY);
    expect((await run({ method: 'POST', headers: form, body: 'apikey=123456' })).exit).toEqual(NO_KEY);
  });

  it('treats repeated fields, JSON arrays and JSON objects as duplicates', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [form, 'apikey=a&apikey=b'],
      [json, '{"apikey":["a","b"]}'],
      [json, '{"apikey":{"k":"a"}}'],
      [multipartType, multipart(['apikey', 'a'], ['apikey', 'b'])],
    ];
    for (const [headers, body] of cases) {
      expect((await run({ method: 'POST', headers, body }, { key_in_body: true })).exit).toEqual(DUPLICATE);
    }
  });

  it('ignores JSON numbers, null, top-level arrays, invalid JSON and unsupported content types', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [json, '{"apikey":123456}'],
      [json, '{"apikey":null}'],
      [json, '[{"apikey":"123456"}]'],
      [json, '{"apikey":"123456"'],
      [{ 'content-type': 'text/plain' }, 'apikey=123456'],
      [{}, 'apikey=123456'],
    ];
    for (const [headers, body] of cases) {
      expect((await run({ method: 'POST', headers, body }, { key_in_body: true })).exit).toEqual(NO_KEY);
    }
    const { exit } = await run({ method: 'POST', headers: json, body: '{"apikey":1,"other":"123456"}' }, {
      key_in_body: true,
      key_names: ['apikey', 'other'],
    });
    expect(exit).toBeNull();
  });

  it('does not read the body when the header or query already has the key', async () => {
    const { ctx } = await run({ method: 'POST', headers: { ...form, apikey: '123456' }, body: 'apikey=x' }, { key_in_body: true });
    expect(ctx.bodyReads).toBe(0);
    expect(ctx.consumer?.id).toBe(alice.id);
  });

  it('a query flag stops the search for that name before the body, as in Lua (`true` is not nil)', async () => {
    const { exit } = await run({ method: 'POST', query: 'apikey', headers: form, body: 'apikey=123456' }, { key_in_body: true });
    expect(exit).toEqual(NO_KEY);
  });
});

describe('hide_credentials', () => {
  it('removes the header in every spelling before proxying', async () => {
    const { ctx } = await run({ headers: { ApiKey: '123456', Other: 'x' } }, { hide_credentials: true });
    expect(ctx.upstreamHeader('apikey')).toBeNull();
    expect(ctx.upstreamHeader('other')).toBe('x');

    const underscored = await run({ headers: { 'Api-Key': '123456' } }, { hide_credentials: true, key_names: ['api_key'] });
    expect(underscored.ctx.upstreamHeader('api-key')).toBeNull();
    expect(underscored.ctx.upstreamHeader('api_key')).toBeNull();
  });

  it('removes the query arg and keeps the other args in order, as sent', async () => {
    const { ctx } = await run({ query: 'b=2&apikey=123456&a=%20x&b=1' }, { hide_credentials: true });
    expect(ctx.upstreamQuery).toBe('b=2&a=%20x&b=1');
    const encoded = await run({ query: '%61pikey=123456' }, { hide_credentials: true });
    expect(encoded.ctx.upstreamQuery).toBe('');
  });

  it('removes the key from the query even when it was found in the header', async () => {
    const { ctx } = await run({ headers: { apikey: '123456' }, query: 'apikey=other&x=1' }, { hide_credentials: true });
    expect(ctx.upstreamHeader('apikey')).toBeNull();
    expect(ctx.upstreamQuery).toBe('x=1');
  });

  it('removes the body field and re-encodes the body (form, JSON, multipart)', async () => {
    const boundary = 'b0undary';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const cases: Array<[string, string, string]> = [
      ['application/x-www-form-urlencoded', 'x=1&apikey=123456&y=2', 'x=1&y=2'],
      ['application/json', '{"x":1,"apikey":"123456","y":[2]}', '{"x":1,"y":[2]}'],
      [
        `multipart/form-data; boundary=${boundary}`,
        `${part('x', '1')}${part('apikey', '123456')}${part('y', '2')}--${boundary}--\r\n`,
        `${part('x', '1')}${part('y', '2')}--${boundary}--\r\n`,
      ],
    ];
    for (const [contentType, body, expected] of cases) {
      const { ctx, exit } = await run(
        { method: 'POST', headers: { 'content-type': contentType }, body },
        { hide_credentials: true, key_in_body: true },
      );
      expect(exit).toBeNull();
      expect(ctx.upstreamBody?.toString()).toBe(expected);
    }
  });

  it('strips the body too when the key came from a header and key_in_body is on', async () => {
    const { ctx } = await run(
      { method: 'POST', headers: { apikey: '123456', 'content-type': 'application/json' }, body: '{"apikey":"zzz","a":1}' },
      { hide_credentials: true, key_in_body: true },
    );
    expect(ctx.upstreamBody?.toString()).toBe('{"a":1}');
  });

  it('leaves everything alone when hide_credentials=false', async () => {
    const { ctx } = await run({ headers: { apikey: '123456' }, query: 'apikey=123456' });
    expect(ctx.upstreamHeader('apikey')).toBe('123456');
    expect(ctx.upstreamQuery).toBeNull();
    expect(ctx.upstreamBody).toBeNull();
  });
});

describe('upstream headers and request context (§5.6)', () => {
  it('identifies the consumer and credential, overwriting client-sent copies', async () => {
    const { ctx } = await run({
      headers: {
        apikey: '123456',
        'X-Consumer-ID': 'forged',
        'X-Credential-Identifier': 'forged',
        'X-Anonymous-Consumer': 'true',
      },
    });
    expect(ctx.upstreamHeader('X-Consumer-ID')).toBe(alice.id);
    expect(ctx.upstreamHeader('X-Consumer-Custom-ID')).toBe('alice-custom');
    expect(ctx.upstreamHeader('X-Consumer-Username')).toBe('alice');
    expect(ctx.upstreamHeader('X-Credential-Identifier')).toBe(CREDENTIAL_ID);
    expect(ctx.upstreamHeader('X-Anonymous-Consumer')).toBeNull();
    expect(ctx.consumer).toEqual(alice);
    expect(ctx.credential).toEqual({ id: CREDENTIAL_ID, kind: 'key-auth', identifier: CREDENTIAL_ID });
    expect(ctx.anonymous).toBe(false);
  });

  it('clears X-Consumer-Custom-ID / X-Consumer-Username when the consumer has none', async () => {
    const { ctx } = await run({
      headers: { apikey: 'Secret-Key', 'X-Consumer-Custom-ID': 'forged', 'X-Consumer-Username': 'forged' },
    });
    expect(ctx.upstreamHeader('X-Consumer-Custom-ID')).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Username')).toBe('bob');
    const nameless = consumer('n0000000-0000-4000-8000-000000000000', null, 'only-custom');
    const config = keyAuthConfig();
    const ctx2 = fakeContext({
      consumers: [nameless],
      credentials: [{ id: 'c', key: 'k', consumerId: nameless.id }],
      headers: { apikey: 'k', 'X-Consumer-Username': 'forged' },
    });
    await keyAuthHandler.access!(ctx2, config, plugin('key-auth', config) as Plugin<KeyAuthConfig>);
    expect(ctx2.upstreamHeader('X-Consumer-Username')).toBeNull();
    expect(ctx2.upstreamHeader('X-Consumer-Custom-ID')).toBe('only-custom');
  });
});

describe('anonymous (§5.5)', () => {
  it('falls back to the anonymous consumer on any failure, by id or by username', async () => {
    for (const anonymous of [guest.id, 'guest']) {
      for (const options of [{}, { headers: { apikey: 'wrong' } }, { query: 'apikey=a&apikey=b' }, { headers: { apikey: 'orphan' } }]) {
        const { ctx, exit } = await run({ ...options, headers: { ...(options as { headers?: object }).headers, 'X-Credential-Identifier': 'forged' } }, { anonymous });
        expect(exit).toBeNull();
        expect(ctx.consumer).toEqual(guest);
        expect(ctx.credential).toBeNull();
        expect(ctx.anonymous).toBe(true);
        expect(ctx.upstreamHeader('X-Consumer-ID')).toBe(guest.id);
        expect(ctx.upstreamHeader('X-Consumer-Username')).toBe('guest');
        expect(ctx.upstreamHeader('X-Anonymous-Consumer')).toBe('true');
        expect(ctx.upstreamHeader('X-Credential-Identifier')).toBeNull();
      }
    }
  });

  it('a valid key still authenticates the real consumer', async () => {
    const { ctx } = await run({ headers: { apikey: '123456' } }, { anonymous: 'guest' });
    expect(ctx.consumer).toEqual(alice);
    expect(ctx.anonymous).toBe(false);
  });

  it('skips entirely when an earlier auth plugin already set a credential (logical OR)', async () => {
    const credential = { id: 'basic-cred', kind: 'basic-auth' as const, identifier: 'carol' };
    const { ctx, exit } = await run({ credential, consumer: bob, headers: { apikey: 'wrong' } }, { anonymous: 'guest' });
    expect(exit).toBeNull();
    expect(ctx.consumer).toEqual(bob);
    expect(ctx.credential).toBe(credential);
    expect(ctx.upstreamSet.size).toBe(0);
  });

  it('without anonymous a failure is a 401 even if another plugin authenticated (logical AND)', async () => {
    const credential = { id: 'basic-cred', kind: 'basic-auth' as const, identifier: 'carol' };
    expect((await run({ credential, consumer: bob })).exit).toEqual(NO_KEY);
  });

  it("answers 500 `anonymous consumer <value> is configured but doesn't exist` (3.10+) when it is missing", async () => {
    const { exit } = await run({}, { anonymous: 'nobody' });
    expect(exit).toEqual(new KongExit(500, "anonymous consumer nobody is configured but doesn't exist"));
  });
});

describe('responses (§5.4)', () => {
  it('every 401 carries WWW-Authenticate: Key, or Key realm="<realm>" when configured', async () => {
    const realm = 'kong-lab';
    expect((await run({}, { realm })).exit).toEqual(unauthorized('No API key found in request', `Key realm="${realm}"`));
    expect((await run({ query: 'apikey=a&apikey=b' }, { realm })).exit).toEqual(unauthorized('Duplicate API key found', `Key realm="${realm}"`));
    expect((await run({ headers: { apikey: 'x' } }, { realm })).exit).toEqual(unauthorized('Unauthorized', `Key realm="${realm}"`));
  });
});

describe('preflight', () => {
  it('run_on_preflight=false lets OPTIONS through untouched', async () => {
    const { ctx, exit } = await run({ method: 'OPTIONS' }, { run_on_preflight: false });
    expect(exit).toBeNull();
    expect(ctx.consumer).toBeNull();
    expect(ctx.upstreamSet.size).toBe(0);
    expect((await run({ method: 'GET' }, { run_on_preflight: false })).exit).toEqual(NO_KEY);
  });

  it('run_on_preflight=true (default) authenticates OPTIONS like any request', async () => {
    expect((await run({ method: 'OPTIONS' })).exit).toEqual(NO_KEY);
  });
});

describe('secrets', () => {
  let stderr: ReturnType<typeof vi.spyOn>;
  let stdout: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    stderr = vi.spyOn(process.stderr, 'write');
    stdout = vi.spyOn(process.stdout, 'write');
  });
  afterEach(() => {
    stderr.mockRestore();
    stdout.mockRestore();
  });

  it('never writes a key anywhere, whatever the outcome', async () => {
    await run({ headers: { apikey: 'wrong-key-123' } });
    await run({ headers: { apikey: '123456' } });
    await run({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"apikey":"body-key-9"' }, { key_in_body: true });
    const written = [...stderr.mock.calls, ...stdout.mock.calls].map((c: unknown[]) => String(c[0])).join('');
    expect(written).not.toMatch(/wrong-key-123|123456|body-key-9/);
  });
});

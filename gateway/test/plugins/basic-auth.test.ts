// basic-auth as Kong 3.11's access.lua runs it (spec/03-plugins/10-basic-auth/03-access_spec.lua).

import { describe, expect, it } from 'vitest';
import {
  createBasicAuthHandler,
  decodeBase64LikeNginx,
  parseBasicAuthorization,
  VERIFIED_HEADERS_PER_CONFIGURATION,
} from '../../src/plugins/basic-auth/handler.js';
import { hashBasicAuthPassword } from '../../src/plugins/basic-auth/crypto.js';
import { KongExit } from '../../src/plugins/types.js';
import type { AuthenticatedCredential, BasicAuthConfig } from '../../src/plugins/types.js';
import { basicAuthConfig, consumer, fakeContext } from './fake-context.js';
import type { FakeContextOptions } from './fake-context.js';

const bob = consumer('b0b00000-0000-4000-8000-000000000001', 'bob', 'bob-custom');
const carol = consumer('ca201000-0000-4000-8000-000000000002', null, 'carol-only-custom');
const nobody = consumer('a0000000-0000-4000-8000-000000000009', 'no-body');
const MISSING_ANONYMOUS = 'deadbeef-0000-4000-8000-000000000000';

const basicauthCredentials = [
  { id: 'cred-bob', username: 'bob', password: 'kong', consumerId: bob.id },
  { id: 'cred-321', username: 'user321', password: 'password:123', consumerId: bob.id },
  { id: 'cred-empty', username: 'empty', password: '', consumerId: carol.id },
  { id: 'cred-utf8', username: 'zoë', password: 'mot de passé', consumerId: carol.id },
];

const basic = (userPassword: string) => `Basic ${Buffer.from(userPassword, 'utf8').toString('base64')}`;

const basicAuthHandler = createBasicAuthHandler();

/** `handler`: a gateway's handler, kept across requests (each run is otherwise a fresh configuration). */
function run(options: FakeContextOptions, overrides: Partial<BasicAuthConfig> = {}, handler = createBasicAuthHandler()) {
  const config = basicAuthConfig(overrides);
  const ctx = fakeContext({ consumers: [bob, carol, nobody], basicauthCredentials, ...options });
  const exit = handler.access!(ctx, config, undefined as never) ?? null;
  if (exit instanceof Promise) throw new Error('basic-auth access must be synchronous');
  return { ctx, exit };
}

const unauthorized = (realm = 'service') => new KongExit(401, 'Unauthorized', { 'WWW-Authenticate': `Basic realm="${realm}"` });

describe('basic-auth identity', () => {
  it('has PRIORITY 1100 (after key-auth, before acl) and cannot be consumer-scoped', () => {
    expect(basicAuthHandler.name).toBe('basic-auth');
    expect(basicAuthHandler.priority).toBe(1100);
    expect(basicAuthHandler.noConsumer).toBe(true);
  });
});

describe('reading the header', () => {
  it('authenticates valid credentials in Authorization and in Proxy-Authorization', () => {
    for (const header of ['Authorization', 'Proxy-Authorization']) {
      const { ctx, exit } = run({ headers: { [header]: 'Basic Ym9iOmtvbmc=' } });
      expect(exit).toBeNull();
      expect(ctx.consumer?.id).toBe(bob.id);
      expect(ctx.credential).toEqual({ id: 'cred-bob', kind: 'basic-auth', identifier: 'bob' });
    }
  });

  it('accepts the scheme as `basic` too, and finds it anywhere in the value (an unanchored match)', () => {
    expect(run({ headers: { Authorization: 'basic Ym9iOmtvbmc=' } }).exit).toBeNull();
    expect(run({ headers: { Authorization: 'Basic    Ym9iOmtvbmc=' } }).exit).toBeNull();
    expect(run({ headers: { Authorization: 'xBasicYm9iOmtvbmc=' } }).exit).toBeNull();
    expect(run({ headers: { Authorization: 'BASIC Ym9iOmtvbmc=' } }).exit).toEqual(unauthorized());
    expect(run({ headers: { Authorization: 'Bearer Ym9iOmtvbmc=' } }).exit).toEqual(unauthorized());
  });

  it('authenticates a password containing `:` (only the first colon splits)', () => {
    const { ctx, exit } = run({ headers: { Authorization: 'Basic dXNlcjMyMTpwYXNzd29yZDoxMjM=' } });
    expect(exit).toBeNull();
    expect(ctx.credential?.identifier).toBe('user321');
  });

  it('authenticates an empty password, and UTF-8 usernames and passwords', () => {
    expect(run({ headers: { Authorization: basic('empty:') } }).ctx.consumer?.id).toBe(carol.id);
    expect(run({ headers: { Authorization: basic('zoë:mot de passé') } }).ctx.consumer?.id).toBe(carol.id);
    expect(run({ headers: { Authorization: basic('empty:x') } }).exit).toEqual(unauthorized());
  });

  it('answers 401 Unauthorized with the realm for every kind of failure', () => {
    const failures: Record<string, string>[] = [
      {},
      { Authorization: 'foobar' },
      { 'Proxy-Authorization': 'foobar' },
      { Authorization: 'Basic a29uZw==' }, // "kong": a password only, no colon
      { Authorization: 'Basic Ym9i' }, // "bob": a username only
      { Authorization: 'Basic adXNlcjEyMzpwYXNzd29yZDEyMw==' }, // not the base64 of anything sensible
      { Authorization: 'Basic !!!!' }, // not base64 at all
      { Authorization: 'Basic' }, // a scheme with nothing after it
      { Authorization: '' },
      { Authorization: basic('bob:wrong') },
      { Authorization: basic('bob:kong ') },
      { Authorization: basic('nobody:kong') },
      { Authorization: basic(':kong') },
    ];
    for (const headers of failures) expect(run({ headers }).exit, JSON.stringify(headers)).toEqual(unauthorized());
    expect(run({}, { realm: 'test-realm' }).exit).toEqual(unauthorized('test-realm'));
  });

  it('tries Proxy-Authorization first and falls back to Authorization only when it names no known user', () => {
    const unknownProxyUser = run({ headers: { 'Proxy-Authorization': basic('ghost:x'), Authorization: basic('bob:kong') } });
    expect(unknownProxyUser.exit).toBeNull();
    expect(unknownProxyUser.ctx.consumer?.id).toBe(bob.id);
    const unparsableProxy = run({ headers: { 'Proxy-Authorization': 'foobar', Authorization: basic('bob:kong') } });
    expect(unparsableProxy.exit).toBeNull();
    // A known user with the wrong password is a failure: Authorization is not tried then.
    expect(run({ headers: { 'Proxy-Authorization': basic('bob:wrong'), Authorization: basic('bob:kong') } }).exit).toEqual(unauthorized());
    const proxyWins = run({ headers: { 'Proxy-Authorization': basic('empty:'), Authorization: basic('bob:kong') } });
    expect(proxyWins.ctx.consumer?.id).toBe(carol.id);
  });
});

describe('decoding like nginx', () => {
  it('reads the standard alphabet up to the first `=`, with or without padding', () => {
    expect(decodeBase64LikeNginx('Ym9iOmtvbmc=')?.toString()).toBe('bob:kong');
    expect(decodeBase64LikeNginx('Ym9iOmtvbmc')?.toString()).toBe('bob:kong');
    expect(decodeBase64LikeNginx('Ym9iOmtvbmc=garbage')?.toString()).toBe('bob:kong');
  });

  it('refuses other characters and a length that leaves a lone sextet', () => {
    expect(decodeBase64LikeNginx('Ym9i Omtvbmc=')).toBeNull();
    expect(decodeBase64LikeNginx('Ym9iOmtvbmc_')).toBeNull();
    expect(decodeBase64LikeNginx('Ym9iO')).toBeNull();
  });

  it("splits at the first colon after a non-empty username, skipping a leading colon as Kong's unanchored match does", () => {
    expect(parseBasicAuthorization(basic('a:b:c'))).toEqual({ username: 'a', password: Buffer.from('b:c') });
    expect(parseBasicAuthorization(basic(':a:b'))).toEqual({ username: 'a', password: Buffer.from('b') });
    expect(parseBasicAuthorization(basic(':ab'))).toBeNull();
  });
});

describe('upstream headers (§5.6)', () => {
  it('sends the consumer and X-Credential-Identifier = the username, and clears client copies', () => {
    const { ctx } = run({
      headers: { Authorization: basic('bob:kong'), 'X-Anonymous-Consumer': 'true', 'X-Credential-Identifier': 'forged' },
    });
    expect(ctx.upstreamHeader('X-Consumer-ID')).toBe(bob.id);
    expect(ctx.upstreamHeader('X-Consumer-Username')).toBe('bob');
    expect(ctx.upstreamHeader('X-Consumer-Custom-ID')).toBe('bob-custom');
    expect(ctx.upstreamHeader('X-Credential-Identifier')).toBe('bob');
    expect(ctx.upstreamHeader('X-Anonymous-Consumer')).toBeNull();
  });

  it('clears X-Consumer-Username for a consumer without one', () => {
    const { ctx } = run({ headers: { Authorization: basic('empty:'), 'X-Consumer-Username': 'forged' } });
    expect(ctx.upstreamHeader('X-Consumer-Username')).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Custom-ID')).toBe('carol-only-custom');
  });
});

describe('hide_credentials', () => {
  it('false sends the Authorization header upstream as it came', () => {
    expect(run({ headers: { Authorization: basic('bob:kong') } }).ctx.upstreamHeader('Authorization')).toBe(basic('bob:kong'));
  });

  it('true strips the header that carried the credentials, and a failed Proxy-Authorization too', () => {
    const viaAuthorization = run({ headers: { Authorization: basic('bob:kong'), 'Proxy-Authorization': 'foobar' } }, { hide_credentials: true });
    expect(viaAuthorization.ctx.upstreamHeader('Authorization')).toBeNull();
    expect(viaAuthorization.ctx.upstreamHeader('Proxy-Authorization')).toBeNull();
    // Authorization is never read when Proxy-Authorization authenticated, so Kong leaves it alone.
    const viaProxy = run({ headers: { 'Proxy-Authorization': basic('bob:kong'), Authorization: 'Bearer other' } }, { hide_credentials: true });
    expect(viaProxy.ctx.upstreamHeader('Proxy-Authorization')).toBeNull();
    expect(viaProxy.ctx.upstreamHeader('Authorization')).toBe('Bearer other');
  });
});

describe('anonymous (logical OR)', () => {
  it('right credentials win over anonymous', () => {
    const { ctx, exit } = run({ headers: { Authorization: basic('bob:kong') } }, { anonymous: nobody.id });
    expect(exit).toBeNull();
    expect(ctx.consumer?.id).toBe(bob.id);
    expect(ctx.upstreamHeader('X-Anonymous-Consumer')).toBeNull();
  });

  it('wrong or no credentials authenticate as the anonymous consumer, by id or by username', () => {
    for (const anonymous of [nobody.id, 'no-body']) {
      for (const headers of [{}, { Authorization: basic('bob:wrong') }] as Record<string, string>[]) {
        const { ctx, exit } = run({ headers }, { anonymous });
        expect(exit).toBeNull();
        expect(ctx.consumer?.id).toBe(nobody.id);
        expect(ctx.credential).toBeNull();
        expect(ctx.anonymous).toBe(true);
        expect(ctx.upstreamHeader('X-Anonymous-Consumer')).toBe('true');
        expect(ctx.upstreamHeader('X-Credential-Identifier')).toBeNull();
      }
    }
  });

  it("answers 500 with 3.10+'s message when the anonymous consumer does not exist", () => {
    expect(run({}, { anonymous: MISSING_ANONYMOUS }).exit).toEqual(
      new KongExit(500, `anonymous consumer ${MISSING_ANONYMOUS} is configured but doesn't exist`),
    );
  });

  it('skips itself when an earlier auth plugin already set a credential, only in OR mode', () => {
    const earlier: AuthenticatedCredential = { id: 'k', kind: 'key-auth', identifier: 'k' };
    const or = run({ credential: earlier, consumer: carol }, { anonymous: nobody.id });
    expect(or.exit).toBeNull();
    expect(or.ctx.consumer?.id).toBe(carol.id);
    expect(run({ credential: earlier, consumer: carol }).exit).toEqual(unauthorized());
  });
});

describe('passwords', () => {
  it('are compared as Kong stores them: sha1(password .. consumer_id), hex', () => {
    // printf '%s' 'kongb0b00000-0000-4000-8000-000000000001' | sha1sum
    expect(hashBasicAuthPassword('kong', bob.id)).toBe('556174864eabdd0f6cb90b6120c592aa5c936e8a');
    expect(hashBasicAuthPassword(Buffer.from('kong'), bob.id)).toBe('556174864eabdd0f6cb90b6120c592aa5c936e8a');
    // The bytes as sent: UTF-8 in, UTF-8 hashed.
    expect(hashBasicAuthPassword('mot de passé', carol.id)).toBe('7afd4d37746e363ebda21ba8ff0c811d36bcc81c');
  });
});

describe('verified headers, remembered per configuration', () => {
  function requestOn(ctx: ReturnType<typeof fakeContext>, handler: ReturnType<typeof createBasicAuthHandler>, headers: Record<string, string>) {
    const next = fakeContext({ headers, consumers: [bob, carol, nobody], basicauthCredentials });
    // Same loaded configuration: the gateway hands every request the snapshot's one lookup.
    (next as { entities: unknown }).entities = ctx.entities;
    return { ctx: next, exit: handler.access!(next, basicAuthConfig({}), undefined as never) ?? null };
  }

  it('answers a header it verified again the same way, with the same consumer, credential and hidden header', () => {
    const handler = createBasicAuthHandler();
    const first = run({ headers: { Authorization: 'Basic Ym9iOmtvbmc=' } }, { hide_credentials: true }, handler);
    expect(first.exit).toBeNull();
    const again = requestOn(first.ctx, handler, { Authorization: 'Basic Ym9iOmtvbmc=' });
    expect(again.exit).toBeNull();
    expect(again.ctx.consumer?.id).toBe(bob.id);
    expect(again.ctx.credential).toEqual({ id: 'cred-bob', kind: 'basic-auth', identifier: 'bob' });
    expect(again.ctx.upstreamSet.get('x-credential-identifier')).toBe('bob');
  });

  it('keeps nothing across configurations: a password changed in a new declaration refuses the old one', () => {
    const handler = createBasicAuthHandler();
    expect(run({ headers: { Authorization: 'Basic Ym9iOmtvbmc=' } }, {}, handler).exit).toBeNull();
    const changed = [{ ...basicauthCredentials[0], password: 'new-password' }, ...basicauthCredentials.slice(1)];
    const config = basicAuthConfig({});
    const ctx = fakeContext({ headers: { Authorization: 'Basic Ym9iOmtvbmc=' }, consumers: [bob, carol, nobody], basicauthCredentials: changed });
    expect(handler.access!(ctx, config, undefined as never)).toEqual(unauthorized());
  });

  it('never lets a remembered user in with another password, nor a wrong password after a right one', () => {
    const handler = createBasicAuthHandler();
    const first = run({ headers: { Authorization: basic('bob:kong') } }, {}, handler);
    expect(first.exit).toBeNull();
    expect(requestOn(first.ctx, handler, { Authorization: basic('bob:kong2') }).exit).toEqual(unauthorized());
    expect(requestOn(first.ctx, handler, { Authorization: basic('bob:kon') }).exit).toEqual(unauthorized());
    expect(requestOn(first.ctx, handler, { Authorization: basic('bob:kong') }).exit).toBeNull();
  });

  it('still reads Proxy-Authorization first when a remembered Authorization comes with it', () => {
    const handler = createBasicAuthHandler();
    const first = run({ headers: { Authorization: basic('user321:password:123') } }, {}, handler);
    expect(first.ctx.consumer?.id).toBe(bob.id);
    // A known user with a wrong password in Proxy-Authorization fails, whatever Authorization holds.
    const both = requestOn(first.ctx, handler, { 'Proxy-Authorization': basic('bob:wrong'), Authorization: basic('user321:password:123') });
    expect(both.exit).toEqual(unauthorized());
  });

  it('keeps at most its cap of headers per configuration, the oldest making room, and stays right past it', () => {
    const handler = createBasicAuthHandler();
    const first = run({ headers: { Authorization: 'Basic Ym9iOmtvbmc=' } }, {}, handler);
    // nginx's decoder ignores what follows the first `=`: each of these is a distinct, valid header.
    for (let i = 0; i <= VERIFIED_HEADERS_PER_CONFIGURATION; i++) {
      expect(requestOn(first.ctx, handler, { Authorization: `Basic Ym9iOmtvbmc=${i}` }).exit).toBeNull();
    }
    expect(requestOn(first.ctx, handler, { Authorization: 'Basic Ym9iOmtvbmc=' }).exit).toBeNull();
    expect(requestOn(first.ctx, handler, { Authorization: basic('bob:wrong') }).exit).toEqual(unauthorized());
  });
});

// acl as Kong 3.11's handler.lua decides (spec/03-plugins/18-acl/02-access_spec.lua).

import { describe, expect, it } from 'vitest';
import { aclHandler } from '../../src/plugins/acl/handler.js';
import { KongExit } from '../../src/plugins/types.js';
import type { AclConfig, AuthenticatedCredential, Consumer } from '../../src/plugins/types.js';
import { aclConfig, consumer, fakeContext } from './fake-context.js';
import type { FakeContextOptions } from './fake-context.js';

const admin = consumer('ad000000-0000-4000-8000-000000000001', 'admin');
const user = consumer('05e20000-0000-4000-8000-000000000002', 'user');
const loner = consumer('10e20000-0000-4000-8000-000000000003', 'loner');
const guest = consumer('9e570000-0000-4000-8000-000000000004', 'guest');
const groups = { [admin.id]: ['admin', 'ops'], [user.id]: ['user'], [guest.id]: ['guests'] };
const credential: AuthenticatedCredential = { id: 'c', kind: 'basic-auth', identifier: 'someone' };

function run(who: Consumer | null, overrides: Partial<AclConfig>, options: FakeContextOptions = {}) {
  const ctx = fakeContext({ groups, consumer: who, credential: who === null || who === guest ? null : credential, ...options });
  const exit = aclHandler.access!(ctx, aclConfig(overrides), undefined as never) ?? null;
  return { ctx, exit };
}

const FORBIDDEN = new KongExit(403, 'You cannot consume this service');
const UNAUTHORIZED = new KongExit(401, null);

describe('acl identity', () => {
  it('has PRIORITY 950 (after every auth plugin) and cannot be consumer-scoped', () => {
    expect(aclHandler.priority).toBe(950);
    expect(aclHandler.noConsumer).toBe(true);
  });
});

describe('allow', () => {
  it('lets a consumer in one of the groups through and tells the upstream all its groups', () => {
    const { ctx, exit } = run(admin, { allow: ['ops', 'nobody'] });
    expect(exit).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Groups')).toBe('admin, ops');
  });

  it('refuses a consumer in none of them with 403', () => {
    expect(run(user, { allow: ['admin'] }).exit).toEqual(FORBIDDEN);
  });

  it('a consumer without groups: 403 with a credential, 401 as the anonymous consumer', () => {
    expect(run(loner, { allow: ['admin'] }).exit).toEqual(FORBIDDEN);
    const anonymousLoner = fakeContext({ groups, consumer: loner, credential: null });
    expect(aclHandler.access!(anonymousLoner, aclConfig({ allow: ['admin'] }), undefined as never)).toEqual(UNAUTHORIZED);
  });

  it("uses the anonymous consumer's own groups", () => {
    expect(run(guest, { allow: ['guests'] }).exit).toBeNull();
    expect(run(guest, { allow: ['admin'] }).exit).toEqual(FORBIDDEN);
  });
});

describe('deny', () => {
  it('refuses a consumer in a denied group and lets the others through', () => {
    expect(run(admin, { deny: ['ops'] }).exit).toEqual(FORBIDDEN);
    const { ctx, exit } = run(user, { deny: ['ops'] });
    expect(exit).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Groups')).toBe('user');
  });

  it('lets a consumer without groups through, and sends no (empty) groups header, not even a forged one', () => {
    const { ctx, exit } = run(loner, { deny: ['ops'] }, { headers: { 'X-Consumer-Groups': 'admin' } });
    expect(exit).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Groups')).toBeNull();
  });

  it('an empty deny list next to an allow list is an allow list', () => {
    expect(run(user, { allow: ['admin'], deny: [] }).exit).toEqual(FORBIDDEN);
  });
});

describe('no consumer', () => {
  it('answers 401 Unauthorized when no auth plugin identified anyone', () => {
    expect(run(null, { allow: ['admin'] }).exit).toEqual(UNAUTHORIZED);
    expect(run(null, { deny: ['admin'] }).exit).toEqual(UNAUTHORIZED);
  });

  it('answers 403 when a credential is there without a consumer', () => {
    const ctx = fakeContext({ groups, credential });
    expect(aclHandler.access!(ctx, aclConfig({ allow: ['admin'] }), undefined as never)).toEqual(FORBIDDEN);
  });
});

describe('hide_groups_header', () => {
  it('passes the request without telling the upstream the groups', () => {
    const { ctx, exit } = run(admin, { allow: ['admin'], hide_groups_header: true });
    expect(exit).toBeNull();
    expect(ctx.upstreamHeader('X-Consumer-Groups')).toBeNull();
    expect(ctx.upstreamSet.size).toBe(0);
  });
});

describe('authenticated groups (set by identity plugins such as ldap-auth)', () => {
  it('decide for a request without a consumer, sent as X-Authenticated-Groups', () => {
    const { ctx, exit } = run(null, { allow: ['ldap-ops'] }, { authenticatedGroups: ['ldap-ops', 'ldap-dev'] });
    expect(exit).toBeNull();
    expect(ctx.upstreamHeader('X-Authenticated-Groups')).toBe('ldap-ops, ldap-dev');
    expect(ctx.upstreamHeader('X-Consumer-Groups')).toBeNull();
  });

  it("replace the anonymous consumer's groups", () => {
    expect(run(guest, { allow: ['guests'] }, { authenticatedGroups: ['ldap-dev'] }).exit).toEqual(FORBIDDEN);
  });

  it("replace a real consumer's groups only with always_use_authenticated_groups", () => {
    const options = { authenticatedGroups: ['ldap-ops'] };
    expect(run(user, { allow: ['ldap-ops'] }, options).exit).toEqual(FORBIDDEN);
    const always = run(user, { allow: ['ldap-ops'], always_use_authenticated_groups: true }, options);
    expect(always.exit).toBeNull();
    expect(always.ctx.upstreamHeader('X-Authenticated-Groups')).toBe('ldap-ops');
    // Without authenticated groups it falls back to the consumer's.
    expect(run(user, { allow: ['user'], always_use_authenticated_groups: true }).exit).toBeNull();
  });
});

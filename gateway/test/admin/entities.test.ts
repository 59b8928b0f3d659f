import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, call, fixtureConfig, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startAdmin();
  admin.store.apply(fixtureConfig(), '0123456789abcdef0123456789abcdef');
});
afterAll(async () => admin.close());

const ids = (body: { data: Array<{ id: string }> }) => body.data.map((entity) => entity.id);

describe('entity lists', () => {
  it('lists every collection decK reads, in id order, with next null on the last page', async () => {
    const services = await call(admin, 'GET', '/services');
    expect(services.status).toBe(200);
    expect(ids(services.body)).toEqual([IDS.svcEcho, IDS.svcOther, IDS.svcThird]);
    expect(services.body.next).toBeNull();
    expect('offset' in services.body).toBe(false);

    expect(ids((await call(admin, 'GET', '/routes')).body)).toEqual([IDS.routeEcho, IDS.routeOther, IDS.routeLoose]);
    expect(ids((await call(admin, 'GET', '/consumers')).body)).toEqual([IDS.alice, IDS.bob]);
    expect(ids((await call(admin, 'GET', '/plugins')).body)).toEqual([IDS.keyAuthPlugin, IDS.rateLimitPlugin, IDS.consumerPlugin]);
    expect(ids((await call(admin, 'GET', '/basic-auths')).body)).toEqual([IDS.aliceBasic]);
    expect(ids((await call(admin, 'GET', '/acls')).body)).toEqual([IDS.aliceAcl]);
  });

  it('shows key-auth keys (as Kong does), the seconds left of a ttl, and hides expired credentials', async () => {
    const response = await call(admin, 'GET', '/key-auths?size=1000');
    expect(ids(response.body)).toEqual([IDS.aliceKey, IDS.bobKey, IDS.bobTtlKey]);
    expect(response.body.data[0]).toMatchObject({ key: 'alice-key', consumer: { id: IDS.alice }, ttl: null });
    const ttl = response.body.data[2].ttl as number;
    expect(ttl).toBeGreaterThan(2900);
    expect(ttl).toBeLessThanOrEqual(3000);
    expect((await call(admin, 'GET', `/key-auths/${IDS.bobExpiredKey}`)).status).toBe(404);
  });

  it('pages with size=1 through opaque offsets and next links that keep size and tags', async () => {
    const first = await call(admin, 'GET', '/services?size=1&tags=lab');
    expect(ids(first.body)).toEqual([IDS.svcEcho]);
    expect(typeof first.body.offset).toBe('string');
    expect(first.body.next).toBe(`/services?offset=${encodeURIComponent(first.body.offset)}&tags=lab&size=1`);
    // cjson escapes '/' in strings, and so does this API.
    expect(first.text).toContain('"next":"\\/services?offset=');

    const second = await call(admin, 'GET', first.body.next);
    expect(ids(second.body)).toEqual([IDS.svcOther]);
    expect(second.body.next).toBeNull();
    expect('offset' in second.body).toBe(false);
  });

  it('walks a whole collection page by page', async () => {
    const seen: string[] = [];
    let path: string | null = '/routes?size=2';
    while (path) {
      const page: { body: { data: Array<{ id: string }>; next: string | null } } = await call(admin, 'GET', path);
      seen.push(...ids(page.body));
      path = page.body.next;
    }
    expect(seen).toEqual([IDS.routeEcho, IDS.routeOther, IDS.routeLoose]);
  });

  it('filters by tags: a,b means all of them, a/b any of them', async () => {
    expect(ids((await call(admin, 'GET', '/services?tags=lab')).body)).toEqual([IDS.svcEcho, IDS.svcOther]);
    expect(ids((await call(admin, 'GET', '/services?tags=lab,echo')).body)).toEqual([IDS.svcEcho]);
    expect(ids((await call(admin, 'GET', '/services?tags=echo/extra')).body)).toEqual([IDS.svcEcho, IDS.svcThird]);
    expect(ids((await call(admin, 'GET', '/services?size=1000&tags=nothing')).body)).toEqual([]);
    expect((await call(admin, 'GET', '/services?tags=nothing')).text).toBe('{"data":[],"next":null}');
  });

  it('rejects bad size, offset and tags with Kong bodies', async () => {
    const notNumber = await call(admin, 'GET', '/services?size=abc');
    expect(notNumber.status).toBe(400);
    expect(notNumber.body).toEqual({ code: 9, name: 'invalid size', message: 'size must be a number' });

    for (const size of ['0', '1001', '2.5']) {
      const response = await call(admin, 'GET', `/services?size=${size}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 9, name: 'invalid size', message: 'size must be an integer between 1 and 1000' });
    }

    const offset = await call(admin, 'GET', '/routes?offset=x');
    expect(offset.status).toBe(400);
    expect(offset.body).toEqual({ code: 7, name: 'invalid offset', message: "'x' is not a valid offset: bad base64 encoding" });

    const tags = await call(admin, 'GET', '/services?tags=a,b/c');
    expect(tags.status).toBe(400);
    expect(tags.body).toEqual({
      code: 11,
      name: 'invalid options',
      message: 'invalid option (tags: invalid filter syntax)',
      options: { tags: 'invalid filter syntax' },
    });
  });

  it('serves the collections decK dumps but this gateway does not implement as empty lists', async () => {
    for (const path of ['/upstreams', '/certificates', '/snis', '/ca_certificates', '/vaults', '/key-sets', '/keys']) {
      const response = await call(admin, 'GET', `${path}?size=1000&tags=lab`);
      expect(response.status, path).toBe(200);
      expect(response.body, path).toEqual({ data: [], next: null });
    }
    expect((await call(admin, 'GET', '/upstreams?size=0')).status).toBe(400);
    expect((await call(admin, 'GET', '/upstreams/httpbin')).status).toBe(404);
    expect((await call(admin, 'GET', '/upstreams/httpbin/targets')).status).toBe(404);
    expect((await call(admin, 'POST', '/key-sets', { body: '{}' })).body).toEqual({
      code: 12,
      name: 'operation unsupported',
      message: "cannot create 'key_sets' entities when not using a database",
    });
    // Collections whose plugin this gateway lacks are 404, as in a Kong without that plugin.
    expect((await call(admin, 'GET', '/jwts')).status).toBe(404);
  });

  it('selects a consumer by custom_id', async () => {
    const found = await call(admin, 'GET', '/consumers?custom_id=alice-1');
    expect(ids(found.body)).toEqual([IDS.alice]);
    expect(found.body.next).toBeNull();
    expect((await call(admin, 'GET', '/consumers?custom_id=nobody')).body).toEqual({ data: [], next: null });
    expect((await call(admin, 'GET', '/consumers?custom_id=')).status).toBe(400);
  });
});

describe('single entities', () => {
  it('finds entities by id or endpoint key', async () => {
    expect((await call(admin, 'GET', `/services/${IDS.svcEcho}`)).body).toMatchObject({ id: IDS.svcEcho, name: 'echo' });
    expect((await call(admin, 'GET', '/services/echo')).body.id).toBe(IDS.svcEcho);
    expect((await call(admin, 'GET', '/routes/echo-route')).body.id).toBe(IDS.routeEcho);
    expect((await call(admin, 'GET', '/consumers/alice')).body.id).toBe(IDS.alice);
    expect((await call(admin, 'GET', `/consumers/${IDS.bob.toUpperCase()}`)).body.id).toBe(IDS.bob);
    expect((await call(admin, 'GET', `/plugins/${IDS.keyAuthPlugin}`)).body).toMatchObject({ name: 'key-auth', route: { id: IDS.routeEcho } });
    expect((await call(admin, 'GET', '/key-auths/bob-key')).body.id).toBe(IDS.bobKey);
    expect((await call(admin, 'GET', '/basic-auths/alice-basic')).body.id).toBe(IDS.aliceBasic);
  });

  it('answers 404 {"message":"Not found"} for unknown entities', async () => {
    for (const path of ['/services/nope', `/services/${IDS.alice}`, '/consumers/carol', '/plugins/key-auth', '/key-auths/wrong-key']) {
      const response = await call(admin, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body).toEqual({ message: 'Not found' });
    }
  });

  it('follows foreign keys: /routes/{x}/service, /key-auths/{x}/consumer, /plugins/{x}/route', async () => {
    expect((await call(admin, 'GET', '/routes/echo-route/service')).body.id).toBe(IDS.svcEcho);
    expect((await call(admin, 'GET', '/key-auths/bob-key/consumer')).body.id).toBe(IDS.bob);
    expect((await call(admin, 'GET', `/plugins/${IDS.keyAuthPlugin}/route`)).body.id).toBe(IDS.routeEcho);
    expect((await call(admin, 'GET', '/routes/loose-route/service')).status).toBe(404);
  });
});

describe('nested lists and entities', () => {
  it('lists children of a parent', async () => {
    expect(ids((await call(admin, 'GET', '/services/echo/routes')).body)).toEqual([IDS.routeEcho]);
    expect(ids((await call(admin, 'GET', `/services/${IDS.svcEcho}/plugins`)).body)).toEqual([IDS.rateLimitPlugin]);
    expect(ids((await call(admin, 'GET', '/routes/echo-route/plugins')).body)).toEqual([IDS.keyAuthPlugin]);
    expect(ids((await call(admin, 'GET', '/consumers/bob/plugins')).body)).toEqual([IDS.consumerPlugin]);
    expect(ids((await call(admin, 'GET', '/consumers/bob/key-auth')).body)).toEqual([IDS.bobKey, IDS.bobTtlKey]);
    expect(ids((await call(admin, 'GET', '/consumers/alice/basic-auth')).body)).toEqual([IDS.aliceBasic]);
    expect(ids((await call(admin, 'GET', '/consumers/alice/acls')).body)).toEqual([IDS.aliceAcl]);
    expect(ids((await call(admin, 'GET', '/services/other/plugins')).body)).toEqual([]);
  });

  it('pages nested lists with next links under the parent', async () => {
    const first = await call(admin, 'GET', '/consumers/bob/key-auth?size=1');
    expect(ids(first.body)).toEqual([IDS.bobKey]);
    expect(first.body.next).toBe(`/consumers/bob/key-auth?offset=${encodeURIComponent(first.body.offset)}`);
    expect(ids((await call(admin, 'GET', `${first.body.next}&size=1`)).body)).toEqual([IDS.bobTtlKey]);
  });

  it('answers one child under its parent, and 404 when it belongs elsewhere', async () => {
    expect((await call(admin, 'GET', '/consumers/bob/key-auth/bob-key')).body.id).toBe(IDS.bobKey);
    expect((await call(admin, 'GET', '/consumers/alice/acls/gold')).body.id).toBe(IDS.aliceAcl);
    expect((await call(admin, 'GET', `/services/echo/routes/${IDS.routeEcho}`)).body.id).toBe(IDS.routeEcho);
    expect((await call(admin, 'GET', '/consumers/alice/key-auth/bob-key')).status).toBe(404);
    expect((await call(admin, 'GET', '/services/nope/routes')).status).toBe(404);
  });
});

describe('writes on a DB-less node', () => {
  const unsupported = (message: string) => ({ code: 12, name: 'operation unsupported', message });

  it('POST on a collection is an unsupported operation; other methods are not allowed', async () => {
    const body = JSON.stringify({ paths: ['/'] });
    const headers = { 'content-type': 'application/json' };
    const post = await call(admin, 'POST', '/routes', { body, headers });
    expect(post.status).toBe(405);
    expect(post.body).toEqual(unsupported("cannot create 'routes' entities when not using a database"));
    expect((await call(admin, 'POST', '/key-auths', { body, headers })).body).toEqual(
      unsupported("cannot create 'keyauth_credentials' entities when not using a database"),
    );
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await call(admin, method, '/routes', { body, headers });
      expect(response.status, method).toBe(405);
      expect(response.body).toEqual({ message: 'Method not allowed' });
    }
  });

  it('entity writes fail like the off strategy; POST on an entity is not allowed', async () => {
    const headers = { 'content-type': 'application/json' };
    const body = '{}';
    expect((await call(admin, 'PUT', `/routes/${IDS.routeEcho}`, { body, headers })).body).toEqual(
      unsupported("cannot create or update 'routes' entities when not using a database"),
    );
    expect((await call(admin, 'PATCH', '/services/echo', { body, headers })).body).toEqual(
      unsupported("cannot update 'services' entities by 'name' when not using a database"),
    );
    const del = await call(admin, 'DELETE', '/consumers/alice');
    expect(del.status).toBe(405);
    expect(del.body).toEqual(unsupported("cannot remove 'consumers' entities by 'username' when not using a database"));
    // Kong's DAO reports success when there is nothing to delete.
    expect((await call(admin, 'DELETE', '/consumers/nobody')).status).toBe(204);
    const post = await call(admin, 'POST', `/routes/${IDS.routeEcho}`, { body, headers });
    expect(post.status).toBe(405);
    expect(post.body).toEqual({ message: 'Method not allowed' });
  });

  it('nested creates name the child collection', async () => {
    const response = await call(admin, 'POST', '/consumers/alice/key-auth', { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(405);
    expect(response.body).toEqual(unsupported("cannot create 'keyauth_credentials' entities when not using a database"));
    expect((await call(admin, 'POST', '/consumers/nobody/key-auth', { body: '{}' })).status).toBe(404);
  });

  it('leaves the configuration as it was', async () => {
    expect((await call(admin, 'GET', '/consumers/alice')).status).toBe(200);
    expect((await call(admin, 'GET', '/routes')).body.data).toHaveLength(3);
  });
});

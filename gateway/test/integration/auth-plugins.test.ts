// basic-auth and acl end to end, against the embedded httpbin (its /anything echo shows what the
// upstream received). A counting relay in front of httpbin proves that a refused request never
// reaches the upstream at all, for every plugin Kong's specs pair with an auth plugin.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { hashBasicAuthPassword } from '../../src/plugins/basic-auth/crypto.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const SERVICE_URL = 'http://httpbin.kong.svc.cluster.local:8000/anything';
const ANONYMOUS_ID = '0a0a0a0a-0000-4000-8000-000000000000';
const MISSING_ID = 'deadbeef-0000-4000-8000-000000000000';
const basic = (userPassword: string) => `Basic ${Buffer.from(userPassword, 'utf8').toString('base64')}`;

/** Relays TCP to httpbin and counts the bytes the gateway sent: zero means nothing reached the upstream. */
async function startCountingRelay(targetPort: number): Promise<{ port: number; bytes: () => number; reset: () => void; close: () => Promise<void> }> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => (received += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    bytes: () => received,
    reset: () => (received = 0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const consumers = [
  {
    username: 'alice',
    custom_id: 'alice-42',
    basicauth_credentials: [{ username: 'alice', password: 'open:sesame' }],
    keyauth_credentials: [{ key: 'alice-key' }],
    acls: [{ group: 'gold' }, { group: 'staff' }],
  },
  { username: 'bob', basicauth_credentials: [{ username: 'bob', password: 'kong' }], keyauth_credentials: [{ key: 'bob-key' }], acls: [{ group: 'silver' }] },
  { username: 'loner', basicauth_credentials: [{ username: 'loner', password: 'alone' }] },
  { id: ANONYMOUS_ID, username: 'anonymous', acls: [{ group: 'guests' }] },
];

function route(name: string, plugins: unknown[]) {
  return { name, paths: [`/${name}`], plugins };
}

const declaration = {
  _format_version: '3.0',
  consumers,
  services: [
    {
      name: 'echo',
      url: SERVICE_URL,
      routes: [
        route('basic', [{ name: 'basic-auth' }]),
        route('basic-realm', [{ name: 'basic-auth', config: { realm: 'test-realm' } }]),
        route('basic-hidden', [{ name: 'basic-auth', config: { hide_credentials: true } }]),
        route('basic-anonymous', [{ name: 'basic-auth', config: { anonymous: 'anonymous' } }]),
        route('basic-anonymous-missing', [{ name: 'basic-auth', config: { anonymous: MISSING_ID } }]),
        route('and', [{ name: 'key-auth' }, { name: 'basic-auth' }]),
        route('or', [
          { name: 'key-auth', config: { anonymous: ANONYMOUS_ID } },
          { name: 'basic-auth', config: { anonymous: ANONYMOUS_ID } },
        ]),
        // Mixed: only one of the two is in OR mode.
        route('key-anonymous-basic-required', [{ name: 'key-auth', config: { anonymous: ANONYMOUS_ID } }, { name: 'basic-auth' }]),
        route('key-required-basic-anonymous', [{ name: 'key-auth' }, { name: 'basic-auth', config: { anonymous: ANONYMOUS_ID } }]),
        route('acl-allow', [{ name: 'basic-auth' }, { name: 'acl', config: { allow: ['gold'] } }]),
        route('acl-deny', [{ name: 'basic-auth' }, { name: 'acl', config: { deny: ['gold'] } }]),
        route('acl-hidden', [{ name: 'basic-auth' }, { name: 'acl', config: { allow: ['gold'], hide_groups_header: true } }]),
        route('acl-anonymous', [{ name: 'basic-auth', config: { anonymous: ANONYMOUS_ID } }, { name: 'acl', config: { allow: ['guests', 'gold'] } }]),
        route('acl-alone', [{ name: 'acl', config: { allow: ['gold'] } }]),
      ],
    },
  ],
};

/** Every plugin this gateway runs that Kong's specs pair with an auth plugin, each behind both auth plugins. */
const COMPANIONS: Array<{ name: string; config?: Record<string, unknown> }> = [
  { name: 'acl', config: { allow: ['gold'] } },
  { name: 'acl', config: { deny: ['silver'] } },
  { name: 'rate-limiting', config: { minute: 1000 } },
  { name: 'key-auth' },
  { name: 'basic-auth' },
];
const AUTH_PLUGINS = ['key-auth', 'basic-auth'];
const pairings = AUTH_PLUGINS.flatMap((auth) =>
  COMPANIONS.filter((c) => c.name !== auth).map((companion, i) => ({ auth, companion, path: `/pair-${auth}-${companion.name}-${i}` })),
);

describe('basic-auth and acl through the gateway', () => {
  let httpbin: RunningUpstream;
  let relay: Awaited<ReturnType<typeof startCountingRelay>>;
  let gateway: RunningGateway;
  let proxy: string;

  beforeAll(async () => {
    httpbin = await startEmbeddedHttpbin();
    relay = await startCountingRelay(httpbin.port);
    gateway = await startTestGateway(relay.port);
    proxy = `http://127.0.0.1:${gateway.proxy.port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await relay?.close();
    await httpbin?.close();
  });

  async function send(path: string, headers: Record<string, string> = {}) {
    const response = await request(`${proxy}${path}`, { headers });
    const text = await response.body.text();
    const json = text.startsWith('{') ? JSON.parse(text) : null;
    return { status: response.statusCode, headers: response.headers as Record<string, string>, text, json };
  }

  describe('no unauthenticated request reaches the upstream', () => {
    beforeAll(async () => {
      const services = [
        {
          name: 'paired',
          url: SERVICE_URL,
          routes: pairings.map(({ auth, companion, path }) => ({ name: path.slice(1), paths: [path], plugins: [{ name: auth }, companion] })),
        },
      ];
      expect((await postConfig(gateway, { _format_version: '3.0', consumers, services })).status).toBe(201);
    });

    it.each(pairings)('$auth with $companion.name $companion.config: 401 and nothing sent upstream', async ({ path }) => {
      relay.reset();
      for (const headers of [{}, { apikey: 'nope' }, { Authorization: basic('alice:wrong') }, { Authorization: 'Basic !!' }] as Record<string, string>[]) {
        const response = await send(`${path}/get`, headers);
        expect(response.status, JSON.stringify(headers)).toBe(401);
        expect(response.json.message).toMatch(/^(Unauthorized|No API key found in request)$/);
      }
      expect(relay.bytes()).toBe(0);
    });

    it('the relay does count: an authenticated request through every pairing reaches httpbin', async () => {
      for (const { path } of pairings) {
        relay.reset();
        const response = await send(`${path}/get`, { apikey: 'alice-key', Authorization: basic('alice:open:sesame') });
        expect(response.status, path).toBe(200);
        expect(relay.bytes(), path).toBeGreaterThan(0);
      }
    });
  });

  describe('behaviours', () => {
    beforeAll(async () => {
      expect((await postConfig(gateway, declaration)).status).toBe(201);
    });
    beforeEach(() => relay.reset());

    it("missing credentials: 401 Unauthorized with Kong's body and the realm challenge", async () => {
      const response = await send('/basic/get');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="service"');
      expect(response.text).toBe(`{\n  "message":"Unauthorized",\n  "request_id":"${response.headers['x-kong-request-id']}"\n}`);
      expect((await send('/basic-realm/get')).headers['www-authenticate']).toBe('Basic realm="test-realm"');
    });

    it('a password with `:` authenticates; the upstream sees the consumer and X-Credential-Identifier = the username', async () => {
      const response = await send('/basic/get', { Authorization: basic('alice:open:sesame'), 'X-Anonymous-Consumer': 'true' });
      expect(response.status).toBe(200);
      const seen = response.json.headers;
      expect(seen['X-Consumer-Username']).toBe('alice');
      expect(seen['X-Consumer-Custom-Id']).toBe('alice-42');
      expect(seen['X-Consumer-Id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen['X-Credential-Identifier']).toBe('alice');
      expect(seen['X-Anonymous-Consumer']).toBeUndefined();
      expect(seen.Authorization).toBe(basic('alice:open:sesame'));
    });

    it('Proxy-Authorization works too, and is tried before Authorization', async () => {
      expect((await send('/basic/get', { 'Proxy-Authorization': basic('bob:kong') })).json.headers['X-Consumer-Username']).toBe('bob');
      const both = await send('/basic/get', { 'Proxy-Authorization': basic('bob:kong'), Authorization: basic('alice:open:sesame') });
      expect(both.json.headers['X-Consumer-Username']).toBe('bob');
    });

    it('malformed headers, bad base64, a wrong or empty password: all 401 with the challenge', async () => {
      for (const value of ['foobar', 'Basic', 'Basic !!!!', 'Basic Ym9i', 'Basic a29uZw==', basic('alice:open'), basic('alice:'), basic('nobody:x')]) {
        const response = await send('/basic/get', { Authorization: value });
        expect(response.status, value).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Basic realm="service"');
        expect(response.json.message).toBe('Unauthorized');
      }
      expect(relay.bytes()).toBe(0);
    });

    it('hide_credentials keeps the Authorization header from the upstream', async () => {
      const response = await send('/basic-hidden/get', { Authorization: basic('bob:kong') });
      expect(response.status).toBe(200);
      expect(response.json.headers.Authorization).toBeUndefined();
      expect(response.json.headers['X-Consumer-Username']).toBe('bob');
    });

    it('anonymous: a failed or missing login proxies as the anonymous consumer', async () => {
      for (const headers of [{}, { Authorization: basic('bob:wrong') }] as Record<string, string>[]) {
        const seen = (await send('/basic-anonymous/get', headers)).json.headers;
        expect(seen['X-Consumer-Id']).toBe(ANONYMOUS_ID);
        expect(seen['X-Anonymous-Consumer']).toBe('true');
        expect(seen['X-Credential-Identifier']).toBeUndefined();
      }
      const missing = await send('/basic-anonymous-missing/get');
      expect(missing.status).toBe(500);
      expect(missing.json.message).toBe(`anonymous consumer ${MISSING_ID} is configured but doesn't exist`);
    });

    describe('with key-auth, without anonymous: logical AND', () => {
      it('passes with both credentials', async () => {
        const response = await send('/and/get', { apikey: 'alice-key', Authorization: basic('bob:kong') });
        expect(response.status).toBe(200);
        // basic-auth runs after key-auth (1100 < 1250), so its consumer is the one the upstream sees.
        expect(response.json.headers['X-Consumer-Username']).toBe('bob');
        expect(response.json.headers['X-Anonymous-Consumer']).toBeUndefined();
      });

      it('fails 401 with only one of them, or none', async () => {
        const onlyKey = await send('/and/get', { apikey: 'alice-key' });
        expect(onlyKey.status).toBe(401);
        expect(onlyKey.headers['www-authenticate']).toBe('Basic realm="service"');
        const onlyBasic = await send('/and/get', { Authorization: basic('bob:kong') });
        expect(onlyBasic.status).toBe(401);
        expect(onlyBasic.json.message).toBe('No API key found in request');
        expect((await send('/and/get')).status).toBe(401);
        expect(relay.bytes()).toBe(0);
      });
    });

    describe('with key-auth, both anonymous: logical OR', () => {
      it('passes with both, either one, or none (then as the anonymous consumer)', async () => {
        const both = await send('/or/get', { apikey: 'alice-key', Authorization: basic('bob:kong') });
        // key-auth authenticated first; basic-auth, in OR mode, leaves it at that.
        expect(both.json.headers['X-Consumer-Username']).toBe('alice');
        const onlyKey = await send('/or/get', { apikey: 'alice-key' });
        expect(onlyKey.json.headers['X-Consumer-Username']).toBe('alice');
        expect(onlyKey.json.headers['X-Anonymous-Consumer']).toBeUndefined();
        const onlyBasic = await send('/or/get', { Authorization: basic('bob:kong') });
        expect(onlyBasic.json.headers['X-Consumer-Username']).toBe('bob');
        expect(onlyBasic.json.headers['X-Credential-Identifier']).toBe('bob');
        expect(onlyBasic.json.headers['X-Anonymous-Consumer']).toBeUndefined();
        const none = await send('/or/get');
        expect(none.status).toBe(200);
        expect(none.json.headers['X-Consumer-Id']).toBe(ANONYMOUS_ID);
        expect(none.json.headers['X-Anonymous-Consumer']).toBe('true');
      });
    });

    describe('with key-auth, only one of them anonymous', () => {
      it('key-auth anonymous, basic-auth not: the password is what counts', async () => {
        const onlyBasic = await send('/key-anonymous-basic-required/get', { Authorization: basic('bob:kong') });
        expect(onlyBasic.status).toBe(200);
        expect(onlyBasic.json.headers['X-Consumer-Username']).toBe('bob');
        expect(onlyBasic.json.headers['X-Anonymous-Consumer']).toBeUndefined();
        const both = await send('/key-anonymous-basic-required/get', { apikey: 'alice-key', Authorization: basic('bob:kong') });
        expect(both.json.headers['X-Consumer-Username']).toBe('bob');
        relay.reset();
        const onlyKey = await send('/key-anonymous-basic-required/get', { apikey: 'alice-key' });
        expect(onlyKey.status).toBe(401);
        expect(onlyKey.headers['www-authenticate']).toBe('Basic realm="service"');
        expect((await send('/key-anonymous-basic-required/get')).status).toBe(401);
        expect(relay.bytes()).toBe(0);
      });

      it('key-auth required, basic-auth anonymous: the key is what counts, and basic-auth then leaves it be', async () => {
        const onlyKey = await send('/key-required-basic-anonymous/get', { apikey: 'alice-key' });
        expect(onlyKey.status).toBe(200);
        expect(onlyKey.json.headers['X-Consumer-Username']).toBe('alice');
        expect(onlyKey.json.headers['X-Anonymous-Consumer']).toBeUndefined();
        const both = await send('/key-required-basic-anonymous/get', { apikey: 'alice-key', Authorization: basic('bob:kong') });
        expect(both.json.headers['X-Consumer-Username']).toBe('alice');
        relay.reset();
        const onlyBasic = await send('/key-required-basic-anonymous/get', { Authorization: basic('bob:kong') });
        expect(onlyBasic.status).toBe(401);
        expect(onlyBasic.json.message).toBe('No API key found in request');
        expect(relay.bytes()).toBe(0);
      });
    });

    describe('acl', () => {
      it('allow: a consumer in the group passes and the upstream gets X-Consumer-Groups', async () => {
        const response = await send('/acl-allow/get', { Authorization: basic('alice:open:sesame') });
        expect(response.status).toBe(200);
        expect(response.json.headers['X-Consumer-Groups']).toBe('gold, staff');
      });

      it('allow: another group, or no group at all, is 403 You cannot consume this service', async () => {
        for (const who of ['bob:kong', 'loner:alone']) {
          const response = await send('/acl-allow/get', { Authorization: basic(who) });
          expect(response.status, who).toBe(403);
          expect(response.json.message).toBe('You cannot consume this service');
        }
        expect(relay.bytes()).toBe(0);
      });

      it('deny: the denied group is 403, the others pass', async () => {
        expect((await send('/acl-deny/get', { Authorization: basic('alice:open:sesame') })).status).toBe(403);
        const bob = await send('/acl-deny/get', { Authorization: basic('bob:kong') });
        expect(bob.status).toBe(200);
        expect(bob.json.headers['X-Consumer-Groups']).toBe('silver');
      });

      it('hide_groups_header keeps the groups from the upstream', async () => {
        const response = await send('/acl-hidden/get', { Authorization: basic('alice:open:sesame') });
        expect(response.status).toBe(200);
        expect(response.json.headers['X-Consumer-Groups']).toBeUndefined();
      });

      it("the anonymous consumer's own groups decide for it", async () => {
        const anonymous = await send('/acl-anonymous/get');
        expect(anonymous.status).toBe(200);
        expect(anonymous.json.headers['X-Consumer-Groups']).toBe('guests');
        expect(anonymous.json.headers['X-Anonymous-Consumer']).toBe('true');
        expect((await send('/acl-anonymous/get', { Authorization: basic('bob:kong') })).status).toBe(403);
      });

      it('without any auth plugin nobody is identified: 401 Unauthorized', async () => {
        const response = await send('/acl-alone/get');
        expect(response.status).toBe(401);
        expect(response.json.message).toBe('Unauthorized');
        expect(relay.bytes()).toBe(0);
      });
    });
  });

  describe('passwords stay secret', () => {
    it('the Admin API shows only the salted hash, never the password as declared', async () => {
      expect((await postConfig(gateway, declaration)).status).toBe(201);
      const admin = `http://127.0.0.1:${gateway.admin.port}`;
      for (const path of ['/config', '/basic-auths', '/consumers/alice/basic-auth', '/consumers/alice/basic-auth/alice']) {
        const response = await request(`${admin}${path}`);
        const text = await response.body.text();
        expect(response.statusCode, path).toBe(200);
        expect(text, path).not.toContain('open:sesame');
        expect(text, path).toContain('password');
      }
    });

    it('GET /config, posted back, keeps the hash as it is (`_transform: false`): the password still opens the route', async () => {
      expect((await postConfig(gateway, declaration)).status).toBe(201);
      const exported = await request(`http://127.0.0.1:${gateway.admin.port}/config`);
      const { config } = (await exported.body.json()) as { config: string };
      expect(config).toContain('_transform: false');
      const reposted = await request(`http://127.0.0.1:${gateway.admin.port}/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config }),
      });
      await reposted.body.dump();
      expect(reposted.statusCode).toBe(201);
      expect((await send('/basic/get', { Authorization: basic('alice:open:sesame') })).status).toBe(200);
      expect((await send('/basic/get', { Authorization: basic('alice:wrong') })).status).toBe(401);
    });

    it('a credential declared already hashed (`_transform: false`) is checked against that hash', async () => {
      const consumerId = 'c0c0c0c0-0000-4000-8000-000000000001';
      const hashed = {
        _format_version: '3.0',
        _transform: false,
        consumers: [{ id: consumerId, username: 'mi6', basicauth_credentials: [{ username: 'bond', password: hashBasicAuthPassword('MI6', consumerId) }] }],
        services: [{ name: 'echo', url: SERVICE_URL, routes: [route('basic', [{ name: 'basic-auth' }])] }],
      };
      expect((await postConfig(gateway, hashed)).status).toBe(201);
      expect((await send('/basic/get', { Authorization: basic('bond:MI6') })).json.headers['X-Consumer-Username']).toBe('mi6');
      expect((await send('/basic/get', { Authorization: basic(`bond:${hashBasicAuthPassword('MI6', consumerId)}`) })).status).toBe(401);
    });

    it("a refused declaration's error does not quote the password", async () => {
      const refused = await postConfig(
        gateway,
        { _format_version: '3.0', consumers: [{ username: 'x', basicauth_credentials: [{ username: 'x', password: 'hunter2', tags: [''] }] }] },
        '?flatten_errors=1',
      );
      expect(refused.status).toBe(400);
      const text = JSON.stringify(refused.body);
      expect(text).not.toContain('hunter2');
      expect(refused.body.flattened_errors[0].entity.password).toBe('<redacted>');
    });
  });
});

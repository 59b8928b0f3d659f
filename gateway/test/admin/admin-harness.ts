// Serves createAdminHandler on a real node:http server (127.0.0.1, free port) for the admin tests.

import { createPluginHandlers } from '../../src/plugins/registry.js';
import { pluginDependencies } from '../plugins/fake-context.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createAdminHandler } from '../../src/admin/index.js';
import { ConfigStore } from '../../src/config-store.js';
import type { Acl, BasicauthCredential, Consumer, FlatConfig, KeyauthCredential, Plugin, Route, Service } from '../../src/declarative/entities.js';
import { createServerStats, type ServerStats } from '../../src/server-stats.js';
import { readSettings } from '../../src/settings.js';
import { consumerEntity as consumer, routeEntity, serviceEntity } from '../fixtures/entities.js';

export class FakeCounters {
  entries = new Map<string, number>();
  clear(): void {
    this.entries.clear();
  }
  size(): number {
    return this.entries.size;
  }
}

export interface TestAdmin {
  url: string;
  store: ConfigStore;
  stats: ServerStats;
  counters: FakeCounters;
  close(): Promise<void>;
}

export const NODE_ID = '3f1a4c2e-8d7b-4e6f-9a01-23456789abcd';

export async function startAdmin(env: Record<string, string> = {}): Promise<TestAdmin> {
  const pluginDeps = pluginDependencies();
  const store = new ConfigStore(createPluginHandlers(pluginDeps));
  const stats = createServerStats();
  const counters = new FakeCounters();
  const settings = readSettings({ KONG_PROXY_LISTEN: '127.0.0.1:8000', KONG_ADMIN_LISTEN: '127.0.0.1:8001', ...env });
  const server: Server = createServer(
    createAdminHandler({ store, settings, stats, counters, proxyCache: pluginDeps.proxyCache, nodeId: NODE_ID, hostname: 'labkit-test', startedAt: Date.now() }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    stats,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AdminResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

export async function call(
  admin: TestAdmin,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<AdminResponse> {
  const response = await request(`${admin.url}${path}`, {
    method: method as 'GET',
    headers: options.headers,
    body: options.body,
  });
  const text = await response.body.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.statusCode, headers: response.headers, text, body };
}

export const postJson = (admin: TestAdmin, path: string, value: unknown) =>
  call(admin, 'POST', path, { body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

export const postYaml = (admin: TestAdmin, path: string, text: string, contentType = 'application/yaml') =>
  call(admin, 'POST', path, { body: text, headers: { 'content-type': contentType } });

/** A configuration with two services, two consumers and credentials, tagged for filter tests. */
export const LAB_CONFIG_YAML = `_format_version: "3.0"
services:
- name: echo
  url: http://httpbin:8080/anything
  tags: [lab, echo]
  routes:
  - name: echo-route
    paths: ["/echo"]
    tags: [lab]
    plugins:
    - name: key-auth
  plugins:
  - name: rate-limiting
    config:
      minute: 5
      policy: local
- name: other
  url: http://other:80
  tags: [lab]
  routes:
  - name: other-route
    paths: ["/other"]
consumers:
- username: alice
  custom_id: alice-1
  tags: [lab]
  keyauth_credentials:
  - key: alice-key
  acls:
  - group: gold
  basicauth_credentials:
  - username: alice-basic
    password: not-a-real-password
- username: bob
  keyauth_credentials:
  - key: bob-key
    tags: [temp]
`;

// ---- A hand-built FlatConfig, so entity tests do not depend on the declarative loader. ----

export const CREATED = 1_754_000_000;

export function service(id: string, name: string | null, tags: string[] | null = null): Service {
  return serviceEntity({ id, name, host: `${name ?? 'unnamed'}.internal`, tags, created_at: CREATED, updated_at: CREATED });
}

export function route(id: string, name: string | null, serviceId: string | null, tags: string[] | null = null): Route {
  return routeEntity({
    id,
    name,
    paths: [`/${name ?? id}`],
    tags,
    service: serviceId ? { id: serviceId } : null,
    created_at: CREATED,
    updated_at: CREATED,
  });
}

export function consumerEntity(id: string, username: string | null, customId: string | null = null, tags: string[] | null = null): Consumer {
  return consumer({ id, username, custom_id: customId, tags, created_at: CREATED, updated_at: CREATED });
}

export function pluginEntity(
  id: string,
  name: string,
  scope: { route?: string; service?: string; consumer?: string } = {},
  config: Record<string, unknown> = {},
): Plugin {
  return {
    id,
    name,
    instance_name: null,
    config,
    enabled: true,
    protocols: ['grpc', 'grpcs', 'http', 'https'],
    route: scope.route ? { id: scope.route } : null,
    service: scope.service ? { id: scope.service } : null,
    consumer: scope.consumer ? { id: scope.consumer } : null,
    tags: null,
    created_at: CREATED,
    updated_at: CREATED,
  };
}

export function keyauth(id: string, consumerId: string, key: string, extra: Partial<KeyauthCredential> = {}): KeyauthCredential {
  return { id, consumer: { id: consumerId }, key, ttl: null, tags: null, created_at: CREATED, ...extra };
}

export function acl(id: string, consumerId: string, group: string): Acl {
  return { id, consumer: { id: consumerId }, group, tags: null, created_at: CREATED };
}

export function basicauth(id: string, consumerId: string, username: string): BasicauthCredential {
  return { id, consumer: { id: consumerId }, username, password: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', tags: null, created_at: CREATED };
}

export const IDS = {
  svcEcho: '11111111-1111-4111-8111-111111111111',
  svcOther: '22222222-2222-4222-8222-222222222222',
  svcThird: '33333333-3333-4333-8333-333333333333',
  routeEcho: 'a1111111-1111-4111-8111-111111111111',
  routeOther: 'a2222222-2222-4222-8222-222222222222',
  routeLoose: 'a3333333-3333-4333-8333-333333333333',
  alice: 'c1111111-1111-4111-8111-111111111111',
  bob: 'c2222222-2222-4222-8222-222222222222',
  keyAuthPlugin: 'e1111111-1111-4111-8111-111111111111',
  rateLimitPlugin: 'e2222222-2222-4222-8222-222222222222',
  consumerPlugin: 'e3333333-3333-4333-8333-333333333333',
  aliceKey: 'f1111111-1111-4111-8111-111111111111',
  bobKey: 'f2222222-2222-4222-8222-222222222222',
  bobTtlKey: 'f3333333-3333-4333-8333-333333333333',
  bobExpiredKey: 'f4444444-4444-4444-8444-444444444444',
  aliceAcl: 'd1111111-1111-4111-8111-111111111111',
  aliceBasic: 'b1111111-1111-4111-8111-111111111111',
};

export function fixtureConfig(nowSeconds = Math.floor(Date.now() / 1000)): FlatConfig {
  return {
    // Declaration order differs from id order on purpose: lists are in id order.
    services: [
      service(IDS.svcOther, 'other', ['lab']),
      service(IDS.svcEcho, 'echo', ['lab', 'echo']),
      service(IDS.svcThird, null, ['extra']),
    ],
    routes: [
      route(IDS.routeEcho, 'echo-route', IDS.svcEcho, ['lab']),
      route(IDS.routeOther, 'other-route', IDS.svcOther),
      route(IDS.routeLoose, 'loose-route', null),
    ],
    consumers: [consumerEntity(IDS.alice, 'alice', 'alice-1', ['lab']), consumerEntity(IDS.bob, 'bob')],
    plugins: [
      pluginEntity(IDS.keyAuthPlugin, 'key-auth', { route: IDS.routeEcho }, { key_names: ['apikey'] }),
      pluginEntity(IDS.rateLimitPlugin, 'rate-limiting', { service: IDS.svcEcho }, { minute: 5, policy: 'local' }),
      pluginEntity(IDS.consumerPlugin, 'rate-limiting', { consumer: IDS.bob }, { minute: 1, policy: 'local' }),
    ],
    keyauth_credentials: [
      keyauth(IDS.aliceKey, IDS.alice, 'alice-key'),
      keyauth(IDS.bobKey, IDS.bob, 'bob-key', { tags: ['temp'] }),
      keyauth(IDS.bobTtlKey, IDS.bob, 'bob-ttl-key', { ttl: 3600, created_at: nowSeconds - 600 }),
      keyauth(IDS.bobExpiredKey, IDS.bob, 'bob-old-key', { ttl: 60, created_at: nowSeconds - 61 }),
    ],
    basicauth_credentials: [basicauth(IDS.aliceBasic, IDS.alice, 'alice-basic')],
    acls: [acl(IDS.aliceAcl, IDS.alice, 'gold')],
  };
}

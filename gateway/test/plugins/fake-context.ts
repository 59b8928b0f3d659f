// Fake PluginContext objects and entity builders for plugin unit tests: no sockets, everything the
// plugin does to the upstream request and the response is recorded for assertions.

import { createPluginDependencies } from '../../src/plugins/dependencies.js';
import { hashBasicAuthPassword } from '../../src/plugins/basic-auth/crypto.js';
import type { Consumer, Plugin, Route, Service } from '../../src/declarative/entities.js';
import { consumerEntity, routeEntity, serviceEntity } from '../fixtures/entities.js';
import type {
  AclConfig,
  AuthenticatedCredential,
  BasicAuthConfig,
  EntityLookup,
  KeyAuthConfig,
  PluginContext,
  PluginRequest,
  RateLimitingConfig,
  UpstreamRequestEditor,
  PluginDependencies,
} from '../../src/plugins/types.js';

export interface FakeCredential {
  id: string;
  key: string;
  consumerId: string;
  ttl?: number | null;
  /** Seconds since the epoch. */
  createdAt?: number;
}

export interface FakeBasicauthCredential {
  id: string;
  username: string;
  /** The password in clear: stored hashed, as the loader stores it. */
  password: string;
  consumerId: string;
}

export interface FakeEntities {
  consumers?: Consumer[];
  credentials?: FakeCredential[];
  basicauthCredentials?: FakeBasicauthCredential[];
  /** consumer id → its acl groups. */
  groups?: Record<string, string[]>;
}

export interface FakeContextOptions extends FakeEntities {
  method?: string;
  path?: string;
  /** Raw query string without `?`. */
  query?: string;
  /** Headers in the order sent; repeat a name to send it twice. */
  headers?: Array<[string, string]> | Record<string, string>;
  body?: Buffer | string;
  /** Called by readBody before it resolves (e.g. to yield to other requests). */
  bodyDelay?: () => Promise<void>;
  clientIp?: string;
  route?: Route | null;
  service?: Service | null;
  consumer?: Consumer | null;
  /** Groups an identity plugin vouched for (Kong's authenticated_groups). */
  authenticatedGroups?: string[];
  credential?: AuthenticatedCredential | null;
  startedAt?: number;
}

/**
 * What a gateway hands its plugins, for tests: fresh local counters, and Redis connections that open
 * nothing unless a redis-policy instance runs (then pass your own).
 */
export function pluginDependencies(overrides: Partial<PluginDependencies> = {}): PluginDependencies {
  return { ...createPluginDependencies(), ...overrides };
}

export interface FakeContext extends PluginContext {
  /** Upstream headers set by plugins, by lowercase name. */
  readonly upstreamSet: Map<string, string>;
  /** Upstream headers removed by plugins, lowercase. */
  readonly upstreamRemoved: Set<string>;
  upstreamQuery: string | null;
  upstreamBody: Buffer | null;
  upstreamMethod: string | null;
  upstreamPath: string | null;
  /** Response headers added through setResponseHeader, in order. */
  readonly responseHeaders: Record<string, string>;
  bodyReads: number;
  /** Values plugins marked as never to be logged. */
  readonly secrets: Set<string>;
  /** What the upstream would receive for a header: set value, null when removed, else the client's value. */
  upstreamHeader(name: string): string | null;
}

export function fakeEntities({ consumers = [], credentials = [], basicauthCredentials = [], groups = {} }: FakeEntities = {}): EntityLookup {
  return {
    basicauthCredentialByUsername: (username) => {
      const credential = basicauthCredentials.find((c) => c.username === username);
      if (!credential) return undefined;
      const { id, consumerId } = credential;
      return { id, consumerId, username, passwordHash: hashBasicAuthPassword(credential.password, consumerId) };
    },
    consumerGroups: (consumerId) => groups[consumerId] ?? [],
    consumerById: (id) => consumers.find((c) => c.id === id),
    consumerByUsername: (username) => consumers.find((c) => c.username === username),
    keyauthCredentialByKey: (key) => {
      const credential = credentials.find((c) => c.key === key);
      if (!credential) return undefined;
      return {
        id: credential.id,
        consumerId: credential.consumerId,
        ttl: credential.ttl ?? null,
        createdAt: credential.createdAt ?? 1_700_000_000,
      };
    },
  };
}

function toPairs(headers: FakeContextOptions['headers']): Array<[string, string]> {
  if (!headers) return [];
  return Array.isArray(headers) ? headers : Object.entries(headers);
}

export function fakeContext(options: FakeContextOptions = {}): FakeContext {
  const pairs = toPairs(options.headers);
  const rawHeaders = pairs.flat();
  const parsed: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    const previous = parsed[lower];
    if (previous === undefined) parsed[lower] = value;
    else if (lower === 'set-cookie') parsed[lower] = [...(previous as string[]), value];
    else parsed[lower] = `${previous}, ${value}`;
  }
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : (options.body ?? Buffer.alloc(0));

  const upstreamSet = new Map<string, string>();
  const upstreamRemoved = new Set<string>();
  const responseHeaders: Record<string, string> = {};

  let ctx!: FakeContext;
  const request: PluginRequest = {
    method: options.method ?? 'GET',
    path: options.path ?? '/',
    rawQuery: options.query ?? '',
    headers: parsed,
    rawHeaders,
    clientIp: options.clientIp ?? '127.0.0.1',
    rawTarget: options.query ? `${options.path ?? '/'}?${options.query}` : (options.path ?? '/'),
    httpVersion: '1.1',
    async readBody() {
      ctx.bodyReads++;
      if (options.bodyDelay) await options.bodyDelay();
      return body;
    },
  };
  const upstream: UpstreamRequestEditor = {
    setHeader(name, value) {
      upstreamSet.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(', '));
      upstreamRemoved.delete(name.toLowerCase());
    },
    removeHeader(name) {
      upstreamSet.delete(name.toLowerCase());
      upstreamRemoved.add(name.toLowerCase());
    },
    currentHeaders() {
      const headers = new Map<string, string[]>();
      for (const [name, value] of pairs) {
        const lower = name.toLowerCase();
        if (lower === 'host' || upstreamRemoved.has(lower) || upstreamSet.has(lower)) continue;
        headers.set(lower, [...(headers.get(lower) ?? []), value]);
      }
      for (const [lower, value] of upstreamSet) if (lower !== 'host') headers.set(lower, [value]);
      return headers;
    },
    currentHeader(lower) {
      return upstream.currentHeaders().get(lower);
    },
    currentBody() {
      return ctx.upstreamBody === null ? request.readBody() : Promise.resolve(ctx.upstreamBody);
    },
    currentRawQuery() {
      return ctx.upstreamQuery ?? request.rawQuery;
    },
    setRawQuery(rawQuery) {
      ctx.upstreamQuery = rawQuery;
    },
    setMethod(method) {
      ctx.upstreamMethod = method;
    },
    setPath(path) {
      ctx.upstreamPath = path;
    },
    setBody(newBody, contentType) {
      ctx.upstreamBody = newBody;
      if (contentType !== undefined) upstream.setHeader('Content-Type', contentType);
    },
  };
  ctx = {
    request,
    route: options.route ?? null,
    service: options.service ?? null,
    upstream,
    entities: fakeEntities(options),
    consumer: options.consumer ?? null,
    credential: options.credential ?? null,
    anonymous: false,
    ...(options.authenticatedGroups ? { authenticatedGroups: options.authenticatedGroups } : {}),
    startedAt: options.startedAt ?? Date.UTC(2025, 7, 11, 14, 47, 49),
    setResponseHeader(name, value) {
      responseHeaders[name] = value;
    },
    upstreamSet,
    upstreamRemoved,
    upstreamQuery: null,
    upstreamBody: null,
    upstreamMethod: null,
    upstreamPath: null,
    get response(): never {
      throw new Error('fake contexts have no response phase');
    },
    requestId: '0123456789abcdef0123456789abcdef',
    markSecret(value) {
      ctx.secrets.add(value);
    },
    secrets: new Set<string>(),
    get exchange(): never {
      throw new Error('fake contexts have no log phase');
    },
    uriCaptures: { whole: null, unnamed: [], named: {} },
    responseHeaders,
    bodyReads: 0,
    upstreamHeader(name) {
      const lower = name.toLowerCase();
      if (upstreamSet.has(lower)) return upstreamSet.get(lower) ?? null;
      if (upstreamRemoved.has(lower)) return null;
      const value = parsed[lower];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
  return ctx;
}

// ---- entity builders ----

export function route(id: string, serviceId: string | null = null): Route {
  return routeEntity({ id, paths: ['/'], service: serviceId === null ? null : { id: serviceId } });
}

export function service(id: string): Service {
  return serviceEntity({ id });
}

export function consumer(id: string, username: string | null = null, customId: string | null = null): Consumer {
  return consumerEntity({ id, username, custom_id: customId });
}

export interface PluginScope {
  route?: string;
  service?: string;
  consumer?: string;
}

let pluginSeq = 0;

/** Typed for its handler and also usable where a plain Plugin is expected (buildPluginPlan). */
export type TestPlugin<Config> = Plugin<Config> & Plugin;

export function plugin<Config>(name: string, config: Config, scope: PluginScope = {}, enabled = true): TestPlugin<Config> {
  pluginSeq++;
  const built: Plugin<Config> = {
    id: `00000000-0000-4000-8000-${String(pluginSeq).padStart(12, '0')}`,
    name,
    instance_name: null,
    config,
    enabled,
    protocols: ['grpc', 'grpcs', 'http', 'https'],
    route: scope.route ? { id: scope.route } : null,
    service: scope.service ? { id: scope.service } : null,
    consumer: scope.consumer ? { id: scope.consumer } : null,
    tags: null,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
  };
  return built as TestPlugin<Config>;
}

// ---- configs with Kong's defaults ----

export function keyAuthConfig(overrides: Partial<KeyAuthConfig> = {}): KeyAuthConfig {
  return {
    key_names: ['apikey'],
    hide_credentials: false,
    anonymous: null,
    key_in_header: true,
    key_in_query: true,
    key_in_body: false,
    run_on_preflight: true,
    realm: null,
    identity_realms: null,
    ...overrides,
  };
}

export function rateLimitingConfig(overrides: Partial<RateLimitingConfig> = {}): RateLimitingConfig {
  return {
    second: null,
    minute: null,
    hour: null,
    day: null,
    month: null,
    year: null,
    limit_by: 'consumer',
    header_name: null,
    path: null,
    policy: 'local',
    fault_tolerant: true,
    redis: {
      host: null,
      port: 6379,
      timeout: 2000,
      username: null,
      password: null,
      database: 0,
      ssl: false,
      ssl_verify: false,
      server_name: null,
    },
    hide_client_headers: false,
    error_code: 429,
    error_message: 'API rate limit exceeded',
    sync_rate: -1,
    ...overrides,
  };
}

export function basicAuthConfig(overrides: Partial<BasicAuthConfig> = {}): BasicAuthConfig {
  return { anonymous: null, hide_credentials: false, realm: 'service', ...overrides };
}

export function aclConfig(overrides: Partial<AclConfig> = {}): AclConfig {
  return { allow: null, deny: null, hide_groups_header: false, always_use_authenticated_groups: false, include_consumer_groups: false, ...overrides };
}

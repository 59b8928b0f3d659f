// The contract between the proxy pipeline and the plugins (our small PDK).
// Phases mirror Kong's: access (may short-circuit), response headers (header_filter) and log.
// Plugins never touch sockets: they read the request through PluginRequest, change what goes
// upstream through UpstreamRequestEditor, add response headers, and end a request by
// returning a KongExit.

import type { IncomingHttpHeaders } from 'node:http';
import type { Consumer, Plugin, Route, Service } from '../declarative/entities.js';
import type { PluginScopeRules } from '../schema/plugin-schema.js';
import type { LocalCounterStore } from './rate-limiting/counters.js';
import type { ProxyCacheStores } from './proxy-cache/memory-strategy.js';
import type { TcpLogSender } from './tcp-log/sender.js';
import type { RouteCaptures } from '../router/types.js';
import type { RedisConnections, RedisEndpoint } from '../redis/connections.js';

export type PhaseName = 'access' | 'response' | 'log';

/** A request ended by a plugin: rendered through kong.response.error's formats (pretty JSON with request_id, …). */
export class KongExit {
  constructor(
    readonly status: number,
    /** null → the default message of the status (Kong's `kong.response.error` defaults). */
    readonly message: string | null,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * kong.response.exit(status, body, headers): a plugin's own answer, sent with exactly these headers and
 * this body (proxy-cache's hits). `lines` is [name, value, name, value, …]; framing headers are the proxy's.
 */
export class KongResponse extends KongExit {
  constructor(
    status: number,
    readonly lines: readonly string[],
    readonly body: Buffer,
  ) {
    super(status, null);
  }
}

/** A request that must not go on because the plugin itself failed: Kong answers 500 `An unexpected error occurred`. */
export class PluginFailure extends Error {}

export interface PluginRequest {
  readonly method: string;
  /** Normalized path (what the router matched on), without query string. */
  readonly path: string;
  /** Raw query string without the leading `?` ('' when none). */
  readonly rawQuery: string;
  /** Node's parsed headers: lower-cased names; repeated headers are arrays (except the ones Node joins). */
  readonly headers: IncomingHttpHeaders;
  /** Raw header list [name, value, name, value, …] as the client sent them (for exact duplicate detection). */
  readonly rawHeaders: readonly string[];
  /** The address of the connecting peer (Kong's `kong.client.get_forwarded_ip()` with no trusted_ips). */
  readonly clientIp: string;
  /** The request target exactly as received, path and query (nginx's $request_uri). */
  readonly rawTarget: string;
  /** `1.1`, `1.0`: the client's HTTP version. */
  readonly httpVersion: string;
  /** Reads the whole request body once (bounded); later reads return the same buffer. The proxy then sends that buffer upstream. */
  readBody(): Promise<Buffer>;
}

export interface UpstreamRequestEditor {
  /** Sets (replaces) a header; an array sends one line per value. `Host` replaces the upstream Host. */
  setHeader(name: string, value: string | readonly string[]): void;
  removeHeader(name: string): void;
  /**
   * The request headers as they would go upstream now: the client's, with earlier plugins' changes,
   * without Host (Kong's kong.request.get_headers() after kong.service.request.set_header calls).
   * Lower-case name → values in the order sent.
   */
  currentHeaders(): Map<string, string[]>;
  /** One header of currentHeaders() (lower-case name), without building the others; undefined when absent. */
  currentHeader(lower: string): string[] | undefined;
  /** The body that would go upstream now: one set by an earlier plugin, else the client's (read once). */
  currentBody(): Promise<Buffer>;
  /** The query string that would go upstream now, without `?`. */
  currentRawQuery(): string;
  /** Replace the query string sent upstream ('' removes it). */
  setRawQuery(rawQuery: string): void;
  /** Replace the request body sent upstream (Content-Length is recomputed by the proxy). */
  setBody(body: Buffer, contentType?: string): void;
  /** kong.service.request.set_method: one of the methods nginx knows, upper case. */
  setMethod(method: string): void;
  /** kong.service.request.set_path: must start with `/`; escaped as Kong escapes it; the query stays. */
  setPath(path: string): void;
}

/**
 * The response headers while the response phase runs (Kong's header_filter), Kong's own late headers
 * (latencies, Via, X-Kong-Request-Id) not yet among them, exactly as Kong adds those after the plugins.
 */
export interface ResponseEditor {
  /** The values of a header now (case-insensitive), [] when absent. */
  get(name: string): string[];
  /** Every header now: lower-case name → values (kong.response.get_headers()). */
  snapshot(): Map<string, string[]>;
  /** Every header line now with its name as sent: [name, value, name, value, …] (ngx.resp.get_headers(0, true)). */
  lines(): readonly string[];
  /** kong.response.set_header: replaces every line of that name. */
  set(name: string, value: string | readonly string[]): void;
  /** kong.response.add_header: one more line. */
  add(name: string, value: string): void;
  clear(name: string): void;
  /**
   * Holds the whole body back and sends `filter(body)` instead (a buffered body_filter). Filters run in
   * plugin order. A filter that changes the length must clear Content-Length (the body then goes chunked, as Kong's does).
   */
  filterBody(filter: (body: Buffer) => Buffer): void;
}

/** What a log plugin reads about a finished request (kong.log.serialize's sources). */
export interface ExchangeRecord {
  readonly secrets: ReadonlySet<string>;
  /** nginx's $host: the Host header without its port, lower-cased. */
  readonly host: string;
  readonly listenerPort: number;
  /** Request line, headers and body, in bytes ($request_length). */
  readonly requestSize: number;
  /** Path and query as sent upstream; null when nothing was proxied. */
  readonly upstreamUri: string | null;
  readonly upstreamStatus: number | null;
  /** Where the upstream request went (one entry per try). */
  readonly tries: ReadonlyArray<{ ip: string; port: number; balancerStart: number }>;
  /** The response headers as sent: [name, value, …]. */
  readonly responseHeaders: readonly string[];
  /** Status line, headers and body, in bytes ($bytes_sent). */
  readonly bytesSent: number;
  /** Kong's latencies: kong (its own time), proxy (waiting for the upstream, -1 when none), request (total), receive. */
  readonly latencies: { kong: number; proxy: number; request: number; receive: number };
  readonly source: 'upstream' | 'kong';
}

export interface AuthenticatedCredential {
  id: string;
  /** Which plugin's credential (key-auth, basic-auth): decides X-Credential-Identifier. */
  kind: 'key-auth' | 'basic-auth';
  /** The value X-Credential-Identifier carries (key-auth: the credential id; basic-auth: the username). */
  identifier: string;
}

/** A basic-auth credential as the plugin checks it: the password only as Kong stores it, sha1(password .. consumer id). */
export interface BasicauthLookup {
  id: string;
  consumerId: string;
  username: string;
  passwordHash: string;
}

/** Read-only lookups over the active configuration snapshot. */
export interface EntityLookup {
  consumerById(id: string): Consumer | undefined;
  consumerByUsername(username: string): Consumer | undefined;
  keyauthCredentialByKey(key: string): { id: string; consumerId: string; ttl: number | null; createdAt: number } | undefined;
  basicauthCredentialByUsername(username: string): BasicauthLookup | undefined;
  /** The consumer's acl groups in declaration order (empty when it has none). */
  consumerGroups(consumerId: string): readonly string[];
}

export interface PluginContext {
  readonly request: PluginRequest;
  readonly route: Route | null;
  readonly service: Service | null;
  readonly upstream: UpstreamRequestEditor;
  readonly entities: EntityLookup;
  /** Consumer set by an auth plugin earlier in this request (null until then). */
  consumer: Consumer | null;
  credential: AuthenticatedCredential | null;
  /** True when the consumer is the configured anonymous one. */
  anonymous: boolean;
  /**
   * Kong's authenticated_groups: groups an identity plugin vouched for without a consumer (ldap-auth,
   * openid-connect). No plugin of this gateway sets them yet; acl reads them as Kong does.
   */
  authenticatedGroups?: readonly string[];
  /** Headers added to the response whatever produced it (upstream or a KongExit). */
  setResponseHeader(name: string, value: string): void;
  /** Milliseconds since the epoch, taken once when the request arrived. */
  readonly startedAt: number;
  /** Final response status, known in the response and log phases. */
  responseStatus?: number;
  /** X-Kong-Request-Id of this request (Kong's request.id in logs). */
  readonly requestId: string;
  /** A value that must never reach a log line (the key key-auth read, matching or not): serializers write REDACTED instead. */
  markSecret(value: string): void;
  /** The finished exchange as the log phase sees it (Kong's ngx.var/ngx.ctx there): usable in the log phase only. */
  readonly exchange: ExchangeRecord;
  /** The response being sent: usable in the response phase only. */
  readonly response: ResponseEditor;
  /** Regex captures of the matched route path (Kong's router_matches.uri_captures); empty for other routes. */
  readonly uriCaptures: RouteCaptures;
}

/** Kong's bundled plugins report kong_meta.version: the node's own version (settings.version). */
export const BUNDLED_VERSION: unique symbol = Symbol('the gateway version');

/** What one running gateway hands its plugins: the state they keep lives here, never in a module. */
export interface PluginDependencies {
  /** rate-limiting's `local` policy counters (Kong's kong_rate_limiting_counters shm). */
  readonly counters: LocalCounterStore;
  /** Connections to the Redis servers rate-limiting's `redis` policy counts in, one per distinct configuration. */
  readonly redis: RedisConnections;
  /** proxy-cache's memory strategy: the shared dicts (kong_db_cache) of this gateway. */
  readonly proxyCache: ProxyCacheStores;
  /** tcp-log's connections to its sinks (Kong's cosocket keepalive pool). */
  readonly tcpLog: TcpLogSender;
}

/** One plugin's behaviour. Config arrives validated and with defaults filled by its schema. */
export interface PluginHandler<Config = any> extends PluginScopeRules {
  readonly name: string;
  /** Kong's static PRIORITY: higher runs first in every phase. */
  readonly priority: number;
  access?(ctx: PluginContext, config: Config, plugin: Plugin<Config>): void | KongExit | Promise<void | KongExit>;
  response?(ctx: PluginContext, config: Config, plugin: Plugin<Config>): void;
  log?(ctx: PluginContext, config: Config, plugin: Plugin<Config>): void;
  /** Called when a new configuration replaces the old one (drop per-instance state that is no longer used). */
  configure?(active: Array<Plugin<Config>>): void;
}

/** What a plugin's handler.ts exports: Kong's PRIORITY and VERSION, and the handler each gateway creates for itself. */
export interface PluginHandlerModule<Config = any> {
  readonly name: string;
  readonly PRIORITY: number;
  readonly VERSION: string | typeof BUNDLED_VERSION;
  create(deps: PluginDependencies): PluginHandler<Config>;
}

export interface BasicAuthConfig {
  anonymous: string | null;
  hide_credentials: boolean;
  realm: string;
}

export interface AclConfig {
  allow: string[] | null;
  deny: string[] | null;
  hide_groups_header: boolean;
  always_use_authenticated_groups: boolean;
  include_consumer_groups: boolean;
}

export interface KeyAuthConfig {
  key_names: string[];
  hide_credentials: boolean;
  anonymous: string | null;
  key_in_header: boolean;
  key_in_query: boolean;
  key_in_body: boolean;
  run_on_preflight: boolean;
  realm: string | null;
  identity_realms: unknown[] | null;
}

/** Kong's `redis` record: a connection endpoint whose host may be unset (only the redis policy needs it). */
export type RateLimitingRedisConfig = Omit<RedisEndpoint, 'host'> & { host: string | null };

export interface RateLimitingConfig {
  second: number | null;
  minute: number | null;
  hour: number | null;
  day: number | null;
  month: number | null;
  year: number | null;
  limit_by: 'consumer' | 'credential' | 'ip' | 'service' | 'header' | 'path';
  header_name: string | null;
  path: string | null;
  policy: 'local' | 'cluster' | 'redis';
  fault_tolerant: boolean;
  redis: RateLimitingRedisConfig;
  hide_client_headers: boolean;
  error_code: number;
  error_message: string;
  sync_rate: number;
}

export type { IncomingHttpHeaders, Consumer, Plugin, PluginScopeRules, Route, Service };

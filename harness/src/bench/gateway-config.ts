// The declaration each gateway configuration runs under, shaped like the workshop's: key-auth on
// the route, rate-limiting on the consumer (limit far above anything the bench can send). The
// other plugins the gateway runs are each measured next to those two, one per configuration.

export const ADDED_PLUGINS = ['basic-auth', 'acl', 'request-transformer', 'response-transformer', 'proxy-cache', 'tcp-log'] as const;
export type AddedPlugin = (typeof ADDED_PLUGINS)[number];

export type GatewayPlugins =
  | 'none'
  | 'key-auth'
  | 'key-auth+rate-limiting'
  /** rate-limiting with `policy: redis` instead of local. */
  | 'key-auth+rate-limiting-redis'
  | `key-auth+rate-limiting+${AddedPlugin}`;

export const BENCH_ROUTE_PATH = '/bench';
export const BENCH_KEY_HEADER = 'apikey';
/** Per minute: a 2-core machine cannot come near it, so the plugin counts but never blocks. */
export const BENCH_RATE_LIMIT_PER_MINUTE = 1_000_000_000;
export const BENCH_BASIC_AUTH_USERNAME = 'bench-user';
export const BENCH_ACL_GROUP = 'bench-group';
/** The header response-transformer adds, so a check can see it ran. */
export const BENCH_RESPONSE_HEADER = 'X-Bench-Transformed';
/** Long enough that nothing expires during a run: every request after the first is a hit. */
export const BENCH_CACHE_TTL_SECONDS = 3600;

export interface LoopbackAddress {
  host: string;
  port: number;
}

export interface GatewayDeclarationOptions {
  upstreamUrl: string;
  plugins: GatewayPlugins;
  /** The consumer's key (a throwaway one made per run); basic-auth's password is derived from it. */
  apiKey: string;
  /** Where `policy: redis` counts (required for key-auth+rate-limiting-redis). */
  redis?: LoopbackAddress;
  /** Where tcp-log sends its lines (required for key-auth+rate-limiting+tcp-log). */
  tcpLogSink?: LoopbackAddress;
}

/** The plugin added to key-auth + rate-limiting, if any. */
export function addedPlugin(plugins: GatewayPlugins): AddedPlugin | null {
  const added = plugins.startsWith('key-auth+rate-limiting+') ? plugins.slice('key-auth+rate-limiting+'.length) : null;
  return (ADDED_PLUGINS as readonly string[]).includes(added ?? '') ? (added as AddedPlugin) : null;
}

/** A second consumer with a key but outside the ACL group: the acl configuration must answer it 403. */
export function outsiderKey(apiKey: string): string {
  return `${apiKey}-outsider`;
}

function basicAuthPassword(apiKey: string): string {
  return `${apiKey}:pw`;
}

function routePlugin(plugin: AddedPlugin, options: GatewayDeclarationOptions): Record<string, unknown> {
  const instance = { name: plugin, instance_name: `bench-${plugin}` };
  switch (plugin) {
    case 'basic-auth':
      // Without `anonymous` on either, key-auth AND basic-auth must both pass (Kong's §5.5).
      return { ...instance, config: { hide_credentials: true } };
    case 'acl':
      return { ...instance, config: { allow: [BENCH_ACL_GROUP] } };
    case 'request-transformer':
      return {
        ...instance,
        config: {
          remove: { headers: ['x-bench-remove'] },
          rename: { headers: ['x-bench-rename:x-bench-renamed'] },
          add: { headers: ['X-Bench-Added:1', 'X-Bench-Host:$(headers.host)'], querystring: ['bench:1'] },
        },
      };
    case 'response-transformer':
      // Headers only: the body streams through, as it does for most uses of the plugin.
      return { ...instance, config: { remove: { headers: ['x-bench-absent'] }, add: { headers: [`${BENCH_RESPONSE_HEADER}:1`] } } };
    case 'proxy-cache':
      return { ...instance, config: { strategy: 'memory', cache_ttl: BENCH_CACHE_TTL_SECONDS, content_type: ['application/json'] } };
    case 'tcp-log': {
      if (options.tcpLogSink === undefined) throw new Error('the tcp-log configuration needs a sink address');
      return { ...instance, config: { host: options.tcpLogSink.host, port: options.tcpLogSink.port } };
    }
  }
}

function rateLimitingConfig(options: GatewayDeclarationOptions): Record<string, unknown> {
  const config: Record<string, unknown> = { minute: BENCH_RATE_LIMIT_PER_MINUTE, policy: 'local' };
  if (options.plugins !== 'key-auth+rate-limiting-redis') return config;
  if (options.redis === undefined) throw new Error('the redis rate-limiting configuration needs a Redis address');
  // Not fault tolerant: a Redis the gateway cannot reach shows as errors, not as requests it did not count.
  return { ...config, policy: 'redis', fault_tolerant: false, redis: { host: options.redis.host, port: options.redis.port } };
}

export function gatewayDeclaration(options: GatewayDeclarationOptions): Record<string, unknown> {
  const keyAuth = options.plugins !== 'none';
  const rateLimiting = keyAuth && options.plugins !== 'key-auth';
  const added = addedPlugin(options.plugins);
  const route: Record<string, unknown> = { name: 'bench-route', paths: [BENCH_ROUTE_PATH] };
  if (keyAuth) {
    route.plugins = [
      { name: 'key-auth', instance_name: 'bench-key-auth', config: { key_names: [BENCH_KEY_HEADER] } },
      ...(added === null ? [] : [routePlugin(added, options)]),
    ];
  }
  const declaration: Record<string, unknown> = {
    _format_version: '3.0',
    services: [{ name: 'bench-service', url: options.upstreamUrl, routes: [route] }],
  };
  if (keyAuth) {
    const consumer: Record<string, unknown> = { username: 'bench-consumer', keyauth_credentials: [{ key: options.apiKey }] };
    if (added === 'basic-auth') consumer.basicauth_credentials = [{ username: BENCH_BASIC_AUTH_USERNAME, password: basicAuthPassword(options.apiKey) }];
    if (added === 'acl') consumer.acls = [{ group: BENCH_ACL_GROUP }];
    if (rateLimiting) consumer.plugins = [{ name: 'rate-limiting', instance_name: 'bench-rate-limiting', config: rateLimitingConfig(options) }];
    const consumers = [consumer];
    if (added === 'acl') consumers.push({ username: 'bench-outsider', keyauth_credentials: [{ key: outsiderKey(options.apiKey) }], acls: [{ group: 'not-bench' }] });
    declaration.consumers = consumers;
  }
  return declaration;
}

/** Headers the load sends to a gateway configuration (the key only where key-auth wants it; basic-auth's too). */
export function gatewayRequestHeaders(plugins: GatewayPlugins, apiKey: string): Record<string, string> {
  if (plugins === 'none') return {};
  const headers: Record<string, string> = { [BENCH_KEY_HEADER]: apiKey };
  if (addedPlugin(plugins) === 'basic-auth') {
    headers.authorization = `Basic ${Buffer.from(`${BENCH_BASIC_AUTH_USERNAME}:${basicAuthPassword(apiKey)}`).toString('base64')}`;
  }
  return headers;
}

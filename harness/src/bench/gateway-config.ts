// The declaration each gateway configuration runs under, shaped like the workshop's: key-auth on
// the route, rate-limiting on the consumer (limit far above anything the bench can send).

export type GatewayPlugins = 'none' | 'key-auth' | 'key-auth+rate-limiting';

export const BENCH_ROUTE_PATH = '/bench';
export const BENCH_KEY_HEADER = 'apikey';
/** Per minute: a 2-core machine cannot come near it, so the plugin counts but never blocks. */
export const BENCH_RATE_LIMIT_PER_MINUTE = 1_000_000_000;

export interface GatewayDeclarationOptions {
  upstreamUrl: string;
  plugins: GatewayPlugins;
  /** The consumer's key (a throwaway one made per run). */
  apiKey: string;
}

export function gatewayDeclaration(options: GatewayDeclarationOptions): Record<string, unknown> {
  const keyAuth = options.plugins !== 'none';
  const rateLimiting = options.plugins === 'key-auth+rate-limiting';
  const route: Record<string, unknown> = { name: 'bench-route', paths: [BENCH_ROUTE_PATH] };
  if (keyAuth) route.plugins = [{ name: 'key-auth', instance_name: 'bench-key-auth', config: { key_names: [BENCH_KEY_HEADER] } }];
  const declaration: Record<string, unknown> = {
    _format_version: '3.0',
    services: [{ name: 'bench-service', url: options.upstreamUrl, routes: [route] }],
  };
  if (keyAuth) {
    const consumer: Record<string, unknown> = { username: 'bench-consumer', keyauth_credentials: [{ key: options.apiKey }] };
    if (rateLimiting) {
      consumer.plugins = [
        {
          name: 'rate-limiting',
          instance_name: 'bench-rate-limiting',
          config: { minute: BENCH_RATE_LIMIT_PER_MINUTE, policy: 'local' },
        },
      ];
    }
    declaration.consumers = [consumer];
  }
  return declaration;
}

/** Headers the load sends to a gateway configuration (the key only where key-auth wants it). */
export function gatewayRequestHeaders(plugins: GatewayPlugins, apiKey: string): Record<string, string> {
  return plugins === 'none' ? {} : { [BENCH_KEY_HEADER]: apiKey };
}

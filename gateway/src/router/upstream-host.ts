// The Host header sent upstream (kong/runloop/balancer set_host_header; preserve_host).

import type { Route, Service } from '../declarative/entities.js';

function defaultPort(protocol: Service['protocol']): number | null {
  if (protocol === 'http' || protocol === 'grpc') return 80;
  if (protocol === 'https' || protocol === 'grpcs') return 443;
  return null;
}

/** service host, plus `:port` unless it is the scheme's default port. */
export function serviceHostHeader(service: Service): string {
  const host = service.host.includes(':') && !service.host.startsWith('[') ? `[${service.host}]` : service.host;
  const fallback = defaultPort(service.protocol);
  // Kong only appends the port for the http-family schemes.
  return fallback === null || service.port === fallback ? host : `${host}:${service.port}`;
}

/**
 * preserve_host forwards the client's Host as sent; without a client Host Kong falls back to
 * the service host.
 */
export function upstreamHostFor(route: Route, serviceHost: string, clientHost: string): string {
  return route.preserve_host && clientHost !== '' ? clientHost : serviceHost;
}

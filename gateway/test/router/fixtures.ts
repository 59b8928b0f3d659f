// Builders for validated, defaults-filled entities as the router receives them.

import type { IncomingHttpHeaders } from 'node:http';
import type { Route, Service } from '../../src/declarative/entities.js';
import type { RouterRequest } from '../../src/router/index.js';

let counter = 0;

/** Ids count up, so later fixtures have greater UUIDs unless a test sets `id` itself. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function nextId(): string {
  counter += 1;
  return uuid(0x100000 + counter);
}

export function makeService(overrides: Partial<Service> = {}): Service {
  return {
    id: nextId(),
    name: null,
    protocol: 'http',
    host: 'upstream.test',
    port: 80,
    path: null,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: null,
    client_certificate: null,
    tls_verify: null,
    tls_verify_depth: null,
    ca_certificates: null,
    enabled: true,
    created_at: 1700000000,
    updated_at: 1700000000,
    ...overrides,
  };
}

export function makeRoute(overrides: Partial<Route> = {}, service: Service | null = null): Route {
  return {
    id: nextId(),
    name: null,
    protocols: ['http', 'https'],
    methods: null,
    hosts: null,
    paths: null,
    headers: null,
    snis: null,
    sources: null,
    destinations: null,
    strip_path: true,
    preserve_host: false,
    regex_priority: 0,
    path_handling: 'v0',
    https_redirect_status_code: 426,
    request_buffering: true,
    response_buffering: true,
    tags: null,
    service: service === null ? null : { id: service.id },
    created_at: 1700000000,
    updated_at: 1700000000,
    ...overrides,
  };
}

/** `target` is a request target like `/a/b?x=1`; the query part is split off as the proxy does. */
export function makeRequest(target: string, overrides: Partial<Omit<RouterRequest, 'rawPath' | 'rawQuery'>> & { headers?: IncomingHttpHeaders } = {}): RouterRequest {
  const q = target.indexOf('?');
  return {
    method: 'GET',
    host: 'gateway.test',
    rawPath: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? null : target.slice(q + 1),
    headers: {},
    listenerPort: 8000,
    scheme: 'http',
    ...overrides,
  };
}

// Builders for validated, defaults-filled entities as the router receives them.

import type { IncomingHttpHeaders } from 'node:http';
import type { Route, Service } from '../../src/declarative/entities.js';
import type { RouterRequest } from '../../src/router/index.js';
import { routeEntity, serviceEntity } from '../fixtures/entities.js';

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
  return serviceEntity({ id: nextId(), ...overrides });
}

export function makeRoute(overrides: Partial<Route> = {}, service: Service | null = null): Route {
  return routeEntity({ id: nextId(), service: service === null ? null : { id: service.id }, ...overrides });
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

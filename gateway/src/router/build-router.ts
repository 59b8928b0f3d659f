// Builds the traditional_compatible router: one precompiled candidate per route (or per piece
// of a split multi-path route), sorted by precedence once; a request walks that list and the
// first candidate whose every condition holds wins.

import type { Route, Service } from '../declarative/entities.js';
import { normalizePath } from '../schema/normalize-path.js';
import { byPrecedence, compileCandidate, headersMatch, hostMatches, type Candidate } from './candidate.js';
import { splitByPath } from './priority.js';
import { splitHostPort } from './request-host.js';
import type { RouteCaptures, RouteMatch, Router, RouterRequest } from './types.js';
import { composeUpstreamPath, escapeUri } from './upstream-uri.js';
import { upstreamHostFor } from './upstream-host.js';

function isHttpRoute(route: Route): boolean {
  return route.protocols.includes('http') || route.protocols.includes('https');
}

/** Returned for a candidate without a path condition (prefix paths are never empty). */
const NO_PATH_CONDITION = '';

type PathHit = string | RegExpExecArray;

function matchPath(candidate: Candidate, path: string): PathHit | null {
  const prefixes = candidate.prefixes;
  if (prefixes !== null) {
    for (const prefix of prefixes) if (path.startsWith(prefix)) return prefix;
  }
  const regexes = candidate.regexes;
  if (regexes !== null) {
    for (const regex of regexes) {
      const m = regex.exec(path);
      if (m !== null) return m;
    }
  }
  return prefixes === null && regexes === null ? NO_PATH_CONDITION : null;
}

const NO_CAPTURES: RouteCaptures = Object.freeze({ whole: null, unnamed: [], named: {} });

function capturesOf(hit: PathHit): RouteCaptures {
  if (typeof hit === 'string') return NO_CAPTURES;
  const unnamed: string[] = [];
  for (let i = 1; i < hit.length; i++) unnamed.push(hit[i] ?? '');
  const named: Record<string, string> = {};
  if (hit.groups !== undefined) {
    for (const [name, value] of Object.entries(hit.groups)) if (value !== undefined) named[name] = value;
  }
  return { whole: unnamed.length > 0 ? hit[0] : null, unnamed, named };
}

class CompiledRouter implements Router {
  readonly size: number;
  readonly #candidates: readonly Candidate[];
  /** Host-header parsing is skipped entirely when no route looks at hosts or SNIs. */
  readonly #needsHost: boolean;

  constructor(candidates: readonly Candidate[], size: number) {
    this.#candidates = candidates;
    this.size = size;
    this.#needsHost = candidates.some((c) => c.hosts !== null || c.snis !== null);
  }

  match(request: RouterRequest): RouteMatch | null {
    const path = normalizePath(request.rawPath);
    let hostName = '';
    let port = request.listenerPort;
    if (this.#needsHost) {
      const split = splitHostPort(request.host);
      hostName = split.name;
      if (split.port !== null) port = split.port;
    }
    for (const candidate of this.#candidates) {
      if (candidate.methods !== null && !candidate.methods.includes(request.method)) continue;
      if (candidate.hosts !== null && !hostMatches(candidate.hosts, hostName, port)) continue;
      // SNIs only constrain https requests. The TLS SNI is not part of RouterRequest; clients
      // send the Host name as SNI, so the Host name stands in for it.
      if (candidate.snis !== null && request.scheme === 'https' && !candidate.snis.includes(hostName)) continue;
      if (candidate.headers !== null && !headersMatch(candidate.headers, request.headers)) continue;
      const hit = matchPath(candidate, path);
      if (hit === null) continue;
      return this.#resolve(candidate, hit, path, request);
    }
    return null;
  }

  #resolve(candidate: Candidate, hit: PathHit, path: string, request: RouterRequest): RouteMatch {
    const route = candidate.route;
    const matchedText = typeof hit === 'string' ? (hit === NO_PATH_CONDITION ? null : hit) : hit[0];
    const strippedPrefix = route.strip_path ? matchedText : null;
    const upstreamPath = composeUpstreamPath(candidate.base, route.strip_path, strippedPrefix, path);
    const escaped = escapeUri(upstreamPath);
    return {
      route,
      service: candidate.service,
      upstreamUri: request.rawQuery === null ? escaped : `${escaped}?${request.rawQuery}`,
      normalizedPath: path,
      forwardedPrefix: strippedPrefix !== null && strippedPrefix !== '' && strippedPrefix !== '/' ? strippedPrefix : null,
      upstreamHost: upstreamHostFor(route, candidate.serviceHost, request.host),
      captures: capturesOf(hit),
    };
  }
}

/**
 * Routes of a disabled service and non-HTTP routes are left out. A route whose service is null
 * (or unknown) still matches; the proxy answers 503 for it.
 */
export function buildRouter(routes: readonly Route[], services: readonly Service[]): Router {
  const servicesById = new Map<string, Service>();
  for (const service of services) servicesById.set(service.id, service);
  const candidates: Candidate[] = [];
  let size = 0;
  for (const route of routes) {
    if (!isHttpRoute(route)) continue;
    const service = route.service === null ? null : servicesById.get(route.service.id) ?? null;
    if (service !== null && !service.enabled) continue;
    size++;
    for (const group of splitByPath(route)) candidates.push(compileCandidate(route, service, group.id, group.paths));
  }
  candidates.sort(byPrecedence);
  return new CompiledRouter(candidates, size);
}

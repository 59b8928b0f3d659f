// The router's public contract: what the proxy hands in per request and what it gets back.

import type { IncomingHttpHeaders } from 'node:http';
import type { Route, Service } from '../declarative/entities.js';

export interface RouterRequest {
  method: string;
  /** Host header value as sent (may include :port); '' when absent. */
  host: string;
  /** The request target's path part (before '?'), raw as received (not decoded). */
  rawPath: string;
  /** Query string after '?' ('' for a bare '?'), or null when the target had no '?'. */
  rawQuery: string | null;
  headers: IncomingHttpHeaders;
  /** Port the request arrived on (used when Host has no port, for host:port route entries). */
  listenerPort: number;
  scheme: 'http' | 'https';
}

export interface RouteCaptures {
  /** What the regex matched (Kong's captures[0]); null unless the regex has groups (Kong then has no uri_captures at all). */
  whole: string | null;
  /** Every capture group by position (group 1 first); '' for a group that did not take part. */
  unnamed: string[];
  /** Named groups that took part in the match. */
  named: Record<string, string>;
}

export interface RouteMatch {
  route: Route;
  service: Service | null;
  /** Path + query to send upstream: §3.4 composition (v0 always), re-escaped, query appended (bare '?' preserved). */
  upstreamUri: string;
  /** Normalized request path (no query) the route matched on: plugins and logs use it. */
  normalizedPath: string;
  /** X-Forwarded-Prefix value: the stripped prefix when strip_path and prefix !== '/', else null. */
  forwardedPrefix: string | null;
  /** Host header to send upstream: service host[:port unless default], or the client Host when preserve_host. */
  upstreamHost: string;
  captures: RouteCaptures;
}

export interface Router {
  match(request: RouterRequest): RouteMatch | null;
  /** Number of routes taking part (after leaving out non-HTTP routes and routes of disabled services). */
  readonly size: number;
}

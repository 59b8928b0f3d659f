// kong/plugins/proxy-cache/cache_key.lua: sha256 hex of
// `prefix|method|uri|params|headers`, with the prefix naming the consumer and route.

import { hexDigest } from '../hex-digest.js';
import type { ArgValue } from '../../http/ngx-args.js';

/** What one name holds in kong.request.get_query()/get_headers(): a value, a flag (true) or several. */
type Lookup = (name: string) => ArgValue | undefined;

function joined(value: ArgValue): string {
  // Lua's table.sort then table.concat; a bare flag among values reads as "true".
  if (Array.isArray(value)) return value.map((one) => (one === true ? 'true' : one)).sort().join(',');
  return value === true ? '' : value;
}

/** generate_key_from: `name=value` for each listed name that is present, joined with `:`. */
function keyFrom(lookup: Lookup, names: readonly string[]): string {
  const parts: string[] = [];
  for (const name of names) {
    const value = lookup(name);
    if (value === undefined) continue;
    parts.push(value === true ? name : `${name}=${joined(value)}`);
  }
  return parts.join(':');
}

/** params_key: every query arg, sorted by name, unless vary_query_params names the ones that count. */
export function paramsKey(query: ReadonlyMap<string, ArgValue>, varyQueryParams: readonly string[] | null): string {
  const names = varyQueryParams !== null && varyQueryParams.length > 0 ? varyQueryParams : [...query.keys()].sort();
  return keyFrom((name) => query.get(name), names);
}

/** headers_key: only the headers vary_headers names (looked up case-insensitively, as ngx.req.get_headers allows). */
export function headersKey(headers: ReadonlyMap<string, ArgValue>, varyHeaders: readonly string[] | null): string {
  if (varyHeaders === null || varyHeaders.length === 0) return '';
  return keyFrom((name) => headers.get(name.toLowerCase().replace(/_/g, '-')), varyHeaders);
}

/** prefix_uuid: `consumer:route` when both are known, the route alone, else `default`. */
export function prefixUuid(consumerId: string | null, routeId: string | null): string {
  if (consumerId !== null && routeId !== null) return `${consumerId}:${routeId}`;
  return routeId ?? 'default';
}

export interface CacheKeyParts {
  consumerId: string | null;
  routeId: string | null;
  method: string;
  uri: string;
  query: ReadonlyMap<string, ArgValue>;
  headers: ReadonlyMap<string, ArgValue>;
  varyQueryParams: readonly string[] | null;
  varyHeaders: readonly string[] | null;
}

export function buildCacheKey(parts: CacheKeyParts): string {
  const text = [
    prefixUuid(parts.consumerId, parts.routeId),
    parts.method,
    parts.uri,
    paramsKey(parts.query, parts.varyQueryParams),
    headersKey(parts.headers, parts.varyHeaders),
  ].join('|');
  return hexDigest('sha256', text);
}

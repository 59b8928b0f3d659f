// Route priority as traditional_compatible computes it (kong/router/transform.lua get_priority)
// and the multi-path split that gives each prefix length its own priority
// (split_routes_and_services_by_path).

import type { Route } from '../declarative/entities.js';
import { uuidV5 } from './uuid-v5.js';

/** Namespace Kong uses to derive the ids of split sub-routes. */
const SPLIT_ROUTE_NAMESPACE = '7f145bf9-0dce-4f91-98eb-debbce4b9f6b';

const MAX_HEADER_COUNT = 255;
const MAX_LENGTH_MASK = 0x7ffffn;
const REGEX_PRIORITY_OFFSET = 2n ** 31n;

export function isRegexPath(path: string): boolean {
  return path.charCodeAt(0) === 0x7e; // '~'
}

/** Lua's `#s` counts bytes; prefix lengths and group keys must too. */
function byteLength(path: string): number {
  return Buffer.byteLength(path, 'utf8');
}

function nonEmpty(value: readonly unknown[] | Record<string, unknown> | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;
}

/** One piece of a route after the split: all regex paths together, or all prefixes of one length. */
export interface PathGroup {
  /** The route id, or the derived v5 id when the route was split. */
  id: string;
  /** null when the route has no path condition. */
  paths: string[] | null;
}

export function splitByPath(route: Route): PathGroup[] {
  const paths = route.paths;
  if (paths === null || paths.length === 0) return [{ id: route.id, paths: null }];
  // Kong splits every route with more than one path, even when all paths land in one group,
  // so such a route always competes under a derived id.
  if (paths.length === 1) return [{ id: route.id, paths: [...paths] }];
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const key = isRegexPath(path) ? 'true' : String(byteLength(path));
    const group = groups.get(key);
    if (group) group.push(path);
    else groups.set(key, [path]);
  }
  return Array.from(groups, ([key, grouped]) => ({ id: uuidV5(SPLIT_ROUTE_NAMESPACE, `${route.id}#${key}`), paths: grouped }));
}

/**
 * 64-bit priority, most significant first: match weight (3 bits, 61–63), plain-host bit (60),
 * header count (8 bits, 52–59), regex bit (51), regex_priority (32 bits, 19–50), prefix length (0–18).
 * `paths` is the sub-route's own path list (see splitByPath).
 */
export function routePriority(route: Route, paths: readonly string[] | null): bigint {
  let weight = 0n;
  if (nonEmpty(route.sources)) weight += 1n;
  if (nonEmpty(route.destinations)) weight += 1n;
  if (nonEmpty(route.methods)) weight += 1n;
  if (nonEmpty(route.hosts)) weight += 1n;
  let headerCount = route.headers === null ? 0 : Object.keys(route.headers).length;
  if (headerCount > 0) weight += 1n;
  if (headerCount > MAX_HEADER_COUNT) headerCount = MAX_HEADER_COUNT;
  if (nonEmpty(route.snis)) weight += 1n;

  // Kong's quirk, kept on purpose: the bit needs `hosts` to be a list, so a route without
  // hosts lacks it (an empty list still earns it).
  const plainHostOnly = Array.isArray(route.hosts) && !route.hosts.some((h) => h.includes('*'));

  let regexUrl = false;
  let uriLength = 0;
  if (paths !== null && paths.length > 0) {
    weight += 1n;
    if (isRegexPath(paths[0])) regexUrl = true;
    else uriLength = byteLength(paths[0]);
  }

  // Kong shifts regex_priority into a 32-bit field; offsetting it keeps "higher wins" for
  // negative values too, and keeps the same order as Kong among non-negative ones.
  let regexPriority = 0n;
  if (regexUrl) {
    const offset = BigInt(Math.trunc(route.regex_priority)) + REGEX_PRIORITY_OFFSET;
    regexPriority = offset < 0n ? 0n : offset > 0xffffffffn ? 0xffffffffn : offset;
  }

  return (
    ((weight & 7n) << 61n) |
    ((plainHostOnly ? 1n : 0n) << 60n) |
    (BigInt(headerCount) << 52n) |
    ((regexUrl ? 1n : 0n) << 51n) |
    (regexPriority << 19n) |
    (BigInt(uriLength) & MAX_LENGTH_MASK)
  );
}

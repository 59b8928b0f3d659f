// Files in format 1.1/2.1 predate the `~` prefix of regex paths: Kong adds it on the fly to any
// path that is not a plain path (kong/db/declarative/migrations/route_path.lua).

import { isPlainObject, type Plain } from '../schema/engine.js';

const PLAIN_PATH = /^[a-zA-Z0-9.\-_~/%]*$/;

function migratePaths(route: Plain): Plain {
  if (!Array.isArray(route.paths)) return route;
  return { ...route, paths: route.paths.map((p) => (typeof p === 'string' && !PLAIN_PATH.test(p) ? `~${p}` : p)) };
}

function migrateRoutes(routes: unknown): unknown {
  return Array.isArray(routes) ? routes.map((r) => (isPlainObject(r) ? migratePaths(r) : r)) : routes;
}

/** Returns a copy of a pre-3.0 document with regex paths marked; 3.0 documents are returned as is. */
export function migrateLegacyFormat(input: Plain): Plain {
  if (input._format_version !== '1.1' && input._format_version !== '2.1') return input;
  const output: Plain = { ...input, routes: migrateRoutes(input.routes) };
  if (input.routes === undefined) delete output.routes;
  if (Array.isArray(input.services)) {
    output.services = input.services.map((s) => (isPlainObject(s) && s.routes !== undefined ? { ...s, routes: migrateRoutes(s.routes) } : s));
  }
  return output;
}

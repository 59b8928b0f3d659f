// kong.log.serialize (kong/pdk/log.lua, http subsystem): the JSON every log plugin sends.
// Kong redacts the Authorization and Proxy-Authorization headers. We also redact every value an
// auth plugin marked secret (the API key, wherever it was sent: header, query string, and so the
// request's uri, url and upstream_uri), because a log sink is a place keys must never reach.

import { decodeArg, parseArgs, type ArgValue } from '../http/ngx-args.js';
import type { PluginContext } from './types.js';

export const REDACTED = 'REDACTED';

/** Kong's DB-less nodes run in the default workspace; its id is fixed here, and the name is Kong's. */
export const DEFAULT_WORKSPACE_ID = '0dc6f45b-8f8d-40d2-a504-473544ee190b';
export const DEFAULT_WORKSPACE_NAME = 'default';

const ALWAYS_REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization']);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function redactValue(value: string, secrets: ReadonlySet<string>): string {
  return secrets.has(value) ? REDACTED : value;
}

/** A query string with every secret value replaced; segments keep their order and encoding otherwise. */
export function redactQuery(rawQuery: string, secrets: ReadonlySet<string>): string {
  if (secrets.size === 0 || rawQuery === '') return rawQuery;
  return rawQuery
    .split('&')
    .map((segment) => {
      const eq = segment.indexOf('=');
      if (eq === -1) return secrets.has(decodeArg(segment)) ? REDACTED : segment;
      return secrets.has(decodeArg(segment.slice(eq + 1))) ? `${segment.slice(0, eq + 1)}${REDACTED}` : segment;
    })
    .join('&');
}

/** A path?query with its query redacted. */
export function redactTarget(target: string, secrets: ReadonlySet<string>): string {
  const queryAt = target.indexOf('?');
  if (queryAt === -1) return target;
  return `${target.slice(0, queryAt + 1)}${redactQuery(target.slice(queryAt + 1), secrets)}`;
}

/** kong.request.get_headers() / ngx.resp.get_headers(): lower-case names, a repeated name as an array. */
function headerTable(lines: readonly string[], redact: (name: string, value: string) => string): Record<string, Json> {
  const table: Record<string, Json> = {};
  for (let i = 0; i < lines.length; i += 2) {
    const name = lines[i].toLowerCase();
    const value = redact(name, lines[i + 1]);
    const previous = table[name];
    if (previous === undefined) table[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else table[name] = [previous, value];
  }
  return table;
}

function queryTable(rawQuery: string, secrets: ReadonlySet<string>): Record<string, Json> {
  const table: Record<string, Json> = {};
  const redactArg = (value: string | true): string | true => (value === true ? true : redactValue(value, secrets));
  for (const [name, value] of parseArgs(rawQuery) as Map<string, ArgValue>) {
    table[name] = Array.isArray(value) ? value.map(redactArg) : redactArg(value);
  }
  return table;
}

/** JSON of an entity as Kong copies it into the log (the table as loaded). */
function entity(value: object | null): Json | undefined {
  return value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Json);
}

export function serializeForLog(ctx: PluginContext): Record<string, Json> {
  const exchange = ctx.exchange;
  const secrets = exchange.secrets;
  const request = ctx.request;
  const uri = redactTarget(request.rawTarget, secrets);
  const root: Record<string, Json | undefined> = {
    request: {
      id: ctx.requestId,
      uri,
      url: `http://${exchange.host}:${exchange.listenerPort}${uri}`,
      querystring: queryTable(request.rawQuery, secrets),
      method: request.method,
      headers: headerTable(request.rawHeaders, (name, value) => (ALWAYS_REDACTED_HEADERS.has(name) ? REDACTED : redactValue(value, secrets))),
      size: exchange.requestSize,
    },
    upstream_uri: exchange.upstreamUri === null ? '' : redactTarget(exchange.upstreamUri, secrets),
    upstream_status: exchange.upstreamStatus === null ? '' : String(exchange.upstreamStatus),
    response: {
      status: ctx.responseStatus ?? 0,
      headers: headerTable(exchange.responseHeaders, (_name, value) => redactValue(value, secrets)),
      size: exchange.bytesSent,
    },
    latencies: exchange.latencies,
    tries: exchange.tries.length === 0 ? undefined : exchange.tries.map((t) => ({ ip: t.ip, port: t.port, balancer_start: t.balancerStart, balancer_latency: 0 })),
    authenticated_entity: ctx.credential === null ? undefined : { id: ctx.credential.id, consumer_id: ctx.consumer?.id ?? null },
    route: entity(ctx.route),
    service: entity(ctx.service),
    consumer: entity(ctx.consumer),
    client_ip: request.clientIp,
    started_at: ctx.startedAt,
    source: exchange.source,
    workspace: DEFAULT_WORKSPACE_ID,
    workspace_name: DEFAULT_WORKSPACE_NAME,
  };
  // Lua tables drop nil fields: absent keys, never null.
  for (const key of Object.keys(root)) if (root[key] === undefined) delete root[key];
  return root as Record<string, Json>;
}

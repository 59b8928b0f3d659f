// kong.log.serialize (kong/pdk/log.lua, http subsystem): the JSON every log plugin sends.
// Kong redacts the Authorization and Proxy-Authorization headers. We also redact every value an
// auth plugin marked secret (the API key, wherever it was sent: header, query string, and so the
// request's uri, url and upstream_uri), because a log sink is a place keys must never reach.

import { decodeArg, parseArgs, type ArgValue } from '../http/ngx-args.js';
import { cjsonEncode } from '../admin/http.js';
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

/**
 * The JSON of route, service and consumer, made once per entity object: the entities of a loaded
 * configuration never change, and a new configuration brings new objects (the old entries go with
 * the old configuration, as a WeakMap lets them). One per log plugin instance of a gateway.
 */
export class EntityFragments {
  #byEntity = new WeakMap<object, string>();

  of(entity: object): string {
    let fragment = this.#byEntity.get(entity);
    if (fragment === undefined) this.#byEntity.set(entity, (fragment = cjsonEncode(entity)));
    return fragment;
  }

  /** Forgets every fragment (a new configuration was loaded). */
  clear(): void {
    this.#byEntity = new WeakMap();
  }
}

// The fields after consumer that never change: Lua tables keep no order, but ours keeps this one.
const WORKSPACE_FIELDS = cjsonEncode({ workspace: DEFAULT_WORKSPACE_ID, workspace_name: DEFAULT_WORKSPACE_NAME }).slice(1, -1);

function redactRequestHeader(secrets: ReadonlySet<string>): (name: string, value: string) => string {
  return (name, value) => (ALWAYS_REDACTED_HEADERS.has(name) ? REDACTED : redactValue(value, secrets));
}

/**
 * kong.log.serialize() as cjson text (one line, no newline). Absent fields are left out, as Lua
 * tables drop nil ones; the field order is route's, service's and consumer's place in Kong's table.
 */
export function serializeLogLine(ctx: PluginContext, fragments: EntityFragments): string {
  const exchange = ctx.exchange;
  const secrets = exchange.secrets;
  const request = ctx.request;
  const uri = redactTarget(request.rawTarget, secrets);
  const head = cjsonEncode({
    request: {
      id: ctx.requestId,
      uri,
      url: `http://${exchange.host}:${exchange.listenerPort}${uri}`,
      querystring: queryTable(request.rawQuery, secrets),
      method: request.method,
      headers: headerTable(request.rawHeaders, redactRequestHeader(secrets)),
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
  });
  let line = head.slice(0, -1);
  if (ctx.route !== null) line += `,"route":${fragments.of(ctx.route)}`;
  if (ctx.service !== null) line += `,"service":${fragments.of(ctx.service)}`;
  if (ctx.consumer !== null) line += `,"consumer":${fragments.of(ctx.consumer)}`;
  const tail = cjsonEncode({ client_ip: request.clientIp, started_at: ctx.startedAt, source: exchange.source });
  return `${line},${tail.slice(1, -1)},${WORKSPACE_FIELDS}}`;
}

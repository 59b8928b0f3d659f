// kong.log.serialize (kong/pdk/log.lua, http subsystem): the JSON every log plugin sends.
// Kong redacts the Authorization and Proxy-Authorization headers. We also redact every value an
// auth plugin marked secret (the API key, wherever it was sent: header, query string, and so the
// request's uri, url and upstream_uri), because a log sink is a place keys must never reach.

import { decodeArg, parseArgs, type ArgValue } from '../http/ngx-args.js';
import { cjsonEncode } from '../admin/http.js';
import { cjsonString, jsonNumber } from '../json-string.js';
import type { ExchangeRecord, PluginContext } from './types.js';

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

/** More header lines than this and the table is built as an object (the linear search below would cost more). */
const MAX_LINES_BUILT_BY_HAND = 128;

/**
 * cjsonEncode(headerTable(lines, redact)), built as text. A name that starts with a digit (an object
 * would put array-index keys first) or is `__proto__` (an object would drop it), and very long lists,
 * take the object's way, so the text is the same in every case.
 */
function headerTableJson(lines: readonly string[], redact: (name: string, value: string) => string): string {
  if (lines.length > MAX_LINES_BUILT_BY_HAND) return cjsonEncode(headerTable(lines, redact));
  const names: string[] = [];
  const values: Array<string | string[]> = [];
  for (let i = 0; i < lines.length; i += 2) {
    const name = lines[i].toLowerCase();
    const first = name.charCodeAt(0);
    if ((first >= 48 && first <= 57) || name === '__proto__') return cjsonEncode(headerTable(lines, redact));
    const value = redact(name, lines[i + 1]);
    const at = names.indexOf(name);
    if (at === -1) {
      names.push(name);
      values.push(value);
    } else {
      const previous = values[at];
      if (Array.isArray(previous)) previous.push(value);
      else values[at] = [previous, value];
    }
  }
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const value = values[i];
    // Header names are HTTP tokens: nothing in them needs escaping.
    out += `${i === 0 ? '' : ','}"${names[i]}":${typeof value === 'string' ? cjsonString(value) : `[${value.map(cjsonString).join(',')}]`}`;
  }
  return `${out}}`;
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

function triesJson(tries: ExchangeRecord['tries']): string {
  let out = '';
  for (const t of tries) {
    out += `${out === '' ? '' : ','}{"ip":${cjsonString(t.ip)},"port":${jsonNumber(t.port)},"balancer_start":${jsonNumber(t.balancerStart)},"balancer_latency":0}`;
  }
  return `[${out}]`;
}

/**
 * kong.log.serialize() as cjson text (one line, no newline). Absent fields are left out, as Lua
 * tables drop nil ones; the field order is route's, service's and consumer's place in Kong's table.
 * Written out as text, the same text cjsonEncode gives for the record as an object (a test holds the
 * two together): encoding that object was most of what tcp-log cost per request.
 */
export function serializeLogLine(ctx: PluginContext, fragments: EntityFragments): string {
  const exchange = ctx.exchange;
  const secrets = exchange.secrets;
  const request = ctx.request;
  const uri = redactTarget(request.rawTarget, secrets);
  const { latencies } = exchange;
  let line =
    `{"request":{"id":${cjsonString(ctx.requestId)},"uri":${cjsonString(uri)},"url":${cjsonString(`http://${exchange.host}:${exchange.listenerPort}${uri}`)}` +
    `,"querystring":${request.rawQuery === '' ? '{}' : cjsonEncode(queryTable(request.rawQuery, secrets))}` +
    `,"method":${cjsonString(request.method)},"headers":${headerTableJson(request.rawHeaders, redactRequestHeader(secrets))}` +
    `,"size":${jsonNumber(exchange.requestSize)}}` +
    `,"upstream_uri":${exchange.upstreamUri === null ? '""' : cjsonString(redactTarget(exchange.upstreamUri, secrets))}` +
    `,"upstream_status":${exchange.upstreamStatus === null ? '""' : cjsonString(String(exchange.upstreamStatus))}` +
    `,"response":{"status":${jsonNumber(ctx.responseStatus ?? 0)}` +
    `,"headers":${headerTableJson(exchange.responseHeaders, (_name, value) => redactValue(value, secrets))},"size":${jsonNumber(exchange.bytesSent)}}` +
    `,"latencies":{"kong":${jsonNumber(latencies.kong)},"proxy":${jsonNumber(latencies.proxy)},"request":${jsonNumber(latencies.request)},"receive":${jsonNumber(latencies.receive)}}`;
  if (exchange.tries.length > 0) line += `,"tries":${triesJson(exchange.tries)}`;
  if (ctx.credential !== null) {
    const consumerId = ctx.consumer?.id;
    line += `,"authenticated_entity":{"id":${cjsonString(ctx.credential.id)},"consumer_id":${consumerId === undefined ? 'null' : cjsonString(consumerId)}}`;
  }
  if (ctx.route !== null) line += `,"route":${fragments.of(ctx.route)}`;
  if (ctx.service !== null) line += `,"service":${fragments.of(ctx.service)}`;
  if (ctx.consumer !== null) line += `,"consumer":${fragments.of(ctx.consumer)}`;
  return `${line},"client_ip":${cjsonString(request.clientIp)},"started_at":${jsonNumber(ctx.startedAt)},"source":${cjsonString(exchange.source)},${WORKSPACE_FIELDS}}`;
}

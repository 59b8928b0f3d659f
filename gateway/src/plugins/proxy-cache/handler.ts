// proxy-cache (Kong PRIORITY 100), after kong/plugins/proxy-cache/handler.lua: access computes the
// key and answers hits itself; the response phase decides whether a miss may be stored and, when it
// may, keeps a copy of the body on its way to the client. Running after every auth plugin (priority)
// means a cached body is only ever served to a request that got past them.

import { parseArgs, type ArgValue } from '../../http/ngx-args.js';
import { BUNDLED_VERSION, KongResponse } from '../types.js';
import type { PluginContext, PluginDependencies, PluginHandler, PluginHandlerModule } from '../types.js';
import { buildCacheKey } from './cache-key.js';
import { contentTypeMatches, parseDirectives, parseMimeType, resourceTtl, seconds, type Directives, type MimeType } from './directives.js';
import type { CachedResponse, MemoryStrategy, ProxyCacheStores } from './memory-strategy.js';
import type { ProxyCacheConfig } from './schema.js';

export const PRIORITY = 100;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

/** Kong's CACHE_VERSION: an entry of another version is purged and refetched. */
export const CACHE_VERSION = 1;

/** Not replayed from the cache (Content-Length is the proxy's to write). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/** Headers Kong drops from a stored response before adding the fresh ones (reset_res_header: exact names). */
const RESET_ON_HIT = new Set(['Age', 'X-Cache-Status', 'X-Cache-Key']);

type DiagnosticHeader = keyof ProxyCacheConfig['response_headers'];

/** What access leaves for the response phase of a request that may be stored (Kong's ctx.proxy_cache). */
interface PendingStore {
  key: string;
  reqBody: string | null;
}

function wantsHeader(ctx: PluginContext, config: ProxyCacheConfig, header: DiagnosticHeader): boolean {
  return ctx.request.headers['kong-debug'] !== undefined || config.response_headers?.[header] !== false;
}

function setDiagnostic(ctx: PluginContext, config: ProxyCacheConfig, header: DiagnosticHeader, value: string): void {
  if (wantsHeader(ctx, config, header)) ctx.setResponseHeader(header, value);
}

function cacheableRequest(ctx: PluginContext, config: ProxyCacheConfig, cc: Directives): boolean {
  if (!config.request_method.includes(ctx.request.method)) return false;
  // Kong also reads ngx.var.authorization here, a variable nginx never sets: Authorization alone does not bypass.
  return !(config.cache_control && (cc.has('no-store') || cc.has('no-cache')));
}

/** ngx.var.request (`GET /path?x HTTP/1.1`) with everything from the first `?` removed, as Kong keys it. */
function keyedUri(ctx: PluginContext, config: ProxyCacheConfig): string {
  const { method, rawTarget, httpVersion } = ctx.request;
  const line = `${method} ${rawTarget} HTTP/${httpVersion}`;
  const queryAt = line.indexOf('?');
  const uri = queryAt === -1 ? line : line.slice(0, queryAt);
  return config.ignore_uri_case ? uri.toLowerCase() : uri;
}

/** kong.request.get_headers(): lower-case names, a repeated header as an array. */
function requestHeaders(rawHeaders: readonly string[]): Map<string, ArgValue> {
  const headers = new Map<string, ArgValue>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const previous = headers.get(name);
    if (previous === undefined) headers.set(name, rawHeaders[i + 1]);
    else if (Array.isArray(previous)) previous.push(rawHeaders[i + 1]);
    else headers.set(name, [previous as string, rawHeaders[i + 1]]);
  }
  return headers;
}

export function cacheKeyOf(ctx: PluginContext, config: ProxyCacheConfig): string {
  return buildCacheKey({
    consumerId: ctx.consumer?.id ?? null,
    routeId: ctx.route?.id ?? null,
    method: ctx.request.method,
    uri: keyedUri(ctx, config),
    query: parseArgs(ctx.request.rawQuery),
    headers: requestHeaders(ctx.request.rawHeaders),
    varyQueryParams: config.vary_query_params,
    varyHeaders: config.vary_headers,
  });
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A stored entry the client's Cache-Control (or cache_ttl) no longer accepts. */
function needsRefresh(config: ProxyCacheConfig, cc: Directives, entry: CachedResponse, now: number): boolean {
  const age = now - entry.timestamp;
  if (!config.cache_control) return age > config.cache_ttl;
  const maxAge = seconds(cc, 'max-age');
  if (maxAge !== null && age > maxAge) return true;
  const maxStale = seconds(cc, 'max-stale');
  if (maxStale !== null && age - entry.ttl > maxStale) return true;
  const minFresh = seconds(cc, 'min-fresh');
  return minFresh !== null && entry.ttl - age < minFresh;
}

/** The stored response as Kong replays it: headers it may overwrite, then age / X-Cache-Status / X-Cache-Key. */
function hit(ctx: PluginContext, config: ProxyCacheConfig, key: string, entry: CachedResponse, now: number): KongResponse {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(entry.headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower.includes('ratelimit-remaining') || RESET_ON_HIT.has(name)) continue;
    for (const one of typeof value === 'string' ? [value] : value) lines.push(name, one);
  }
  if (wantsHeader(ctx, config, 'age')) lines.push('age', String(Math.floor(now - entry.timestamp)));
  if (wantsHeader(ctx, config, 'X-Cache-Status')) lines.push('X-Cache-Status', 'Hit');
  if (wantsHeader(ctx, config, 'X-Cache-Key')) lines.push('X-Cache-Key', key);
  return new KongResponse(entry.status, lines, entry.body);
}

/** ngx.resp.get_headers(0, true): names as sent, a repeated name as an array. */
function storedHeaders(lines: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < lines.length; i += 2) {
    const previous = headers[lines[i]];
    if (previous === undefined) headers[lines[i]] = lines[i + 1];
    else if (Array.isArray(previous)) previous.push(lines[i + 1]);
    else headers[lines[i]] = [previous, lines[i + 1]];
  }
  return headers;
}

class ProxyCacheHandler implements PluginHandler<ProxyCacheConfig> {
  readonly name = 'proxy-cache';
  readonly priority = PRIORITY;
  /** Kong's kong.ctx.plugin for this plugin: per request, gone with it. */
  readonly #pending = new WeakMap<PluginContext, PendingStore>();
  /** Parsed content_type lists, per config object (a new configuration brings new objects). */
  readonly #contentTypes = new WeakMap<ProxyCacheConfig, Array<MimeType | null>>();

  constructor(readonly stores: ProxyCacheStores) {}

  strategy(config: ProxyCacheConfig): MemoryStrategy {
    return this.stores.dictionary(config.memory.dictionary_name);
  }

  access(ctx: PluginContext, config: ProxyCacheConfig): KongResponse | void | Promise<void> {
    const cc = parseDirectives(ctx.request.headers['cache-control']);
    if (!cacheableRequest(ctx, config, cc)) {
      setDiagnostic(ctx, config, 'X-Cache-Status', 'Bypass');
      return;
    }
    const key = cacheKeyOf(ctx, config);
    setDiagnostic(ctx, config, 'X-Cache-Key', key);
    const strategy = this.strategy(config);
    const entry = strategy.fetch(key);
    if (entry === undefined) {
      // RFC 7234 §5.2.1.7: the client wanted a stored answer only.
      if (config.cache_control && cc.has('only-if-cached')) return new KongResponse(504, [], Buffer.alloc(0));
      return this.signalStore(ctx, config, key, 'Miss');
    }
    if (entry.version !== CACHE_VERSION) {
      strategy.purge(key);
      return this.signalStore(ctx, config, key, 'Bypass');
    }
    const now = nowSeconds();
    if (needsRefresh(config, cc, entry, now)) return this.signalStore(ctx, config, key, 'Refresh');
    return hit(ctx, config, key, entry, now);
  }

  signalStore(ctx: PluginContext, config: ProxyCacheConfig, key: string, status: string): void | Promise<void> {
    setDiagnostic(ctx, config, 'X-Cache-Status', status);
    const pending: PendingStore = { key, reqBody: null };
    this.#pending.set(ctx, pending);
    // kong.request.get_raw_body(): only requests that carry one are read.
    if (!hasBody(ctx)) return;
    return ctx.request.readBody().then((body) => {
      pending.reqBody = body.toString('latin1');
    });
  }

  response(ctx: PluginContext, config: ProxyCacheConfig): void {
    const pending = this.#pending.get(ctx);
    if (pending === undefined) return;
    const response = ctx.response;
    const cc = parseDirectives(response.get('cache-control'));
    const now = nowSeconds();
    if (!this.cacheableResponse(ctx, config, cc, now)) {
      if (wantsHeader(ctx, config, 'X-Cache-Status')) response.set('X-Cache-Status', 'Bypass');
      this.#pending.delete(ctx);
      return;
    }
    const status = ctx.responseStatus ?? 200;
    const headers = storedHeaders(response.lines());
    const ttl = config.cache_control ? resourceTtl(cc, response.get('expires'), now) : config.cache_ttl;
    const storageTtl = config.storage_ttl ?? ttl;
    const strategy = this.strategy(config);
    // An announced body larger than the whole dict could never be stored: let it stream.
    const announced = Number(response.get('content-length')[0] ?? NaN);
    if (announced > strategy.capacityBytes) return;
    response.filterBody((body) => {
      strategy.store(
        pending.key,
        { status, headers, body, body_len: body.length, timestamp: nowSeconds(), ttl, version: CACHE_VERSION, req_body: pending.reqBody },
        storageTtl,
      );
      return body;
    });
  }

  cacheableResponse(ctx: PluginContext, config: ProxyCacheConfig, cc: Directives, now: number): boolean {
    if (!config.response_code.includes(ctx.responseStatus ?? 0)) return false;
    const contentType = ctx.response.get('content-type');
    // Kong bails when it cannot examine the type: none, several, or empty.
    if (contentType.length !== 1 || contentType[0] === '') return false;
    const actual = parseMimeType(contentType[0]);
    if (actual === null) return false;
    if (!this.expectedTypes(config).some((expected) => expected !== null && contentTypeMatches(actual, expected))) return false;
    if (!config.cache_control) return true;
    if (cc.has('private') || cc.has('no-store') || cc.has('no-cache')) return false;
    return resourceTtl(cc, ctx.response.get('expires'), now) > 0;
  }

  expectedTypes(config: ProxyCacheConfig): Array<MimeType | null> {
    let parsed = this.#contentTypes.get(config);
    if (parsed === undefined) this.#contentTypes.set(config, (parsed = config.content_type.map(parseMimeType)));
    return parsed;
  }
}

function hasBody(ctx: PluginContext): boolean {
  const length = ctx.request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return ctx.request.headers['transfer-encoding'] !== undefined;
}

export const proxyCachePlugin: PluginHandlerModule<ProxyCacheConfig> = {
  name: 'proxy-cache',
  PRIORITY,
  VERSION,
  create: (deps: PluginDependencies) => new ProxyCacheHandler(deps.proxyCache),
};

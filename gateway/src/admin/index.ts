// The Admin API of a DB-less Kong, trimmed to what the labs and decK use. The lead owns the
// node:http server; this module only turns requests into responses.
//
// Kong endpoints: GET / · GET /status · GET /status/ready · GET|POST /config · GET /endpoints ·
// GET /schemas/... · POST /schemas/.../validate · read-only entity endpoints (see entity-endpoints.ts).
// Non-Kong endpoints live under /_labkit/ (see labkit-endpoints.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { availablePlugins } from '../plugins/registry.js';
import { PROXY_CACHE_PREFIX, ProxyCacheMethodNotAllowed, handleProxyCacheRequest } from '../plugins/proxy-cache/api.js';
import type { ProxyCacheStores } from '../plugins/proxy-cache/memory-strategy.js';
import type { ServerStats } from '../server-stats.js';
import type { GatewaySettings } from '../settings.js';
import { type AdminConfigStore, getConfigEndpoint, postConfigEndpoint } from './config-endpoint.js';
import { listEndpoints } from './endpoint-list.js';
import { crossOriginWriteRefusal } from './origin-guard.js';
import { type EndpointResult, handleEntityRequest } from './entity-endpoints.js';
import { AdminHttpError, type ResponseContext, methodNotAllowed, notFound, sendJson } from './http.js';
import { LABKIT_PREFIX, type LocalCounters, handleLabkitRequest } from './labkit-endpoints.js';
import { parseQuery, readAndDecodeBody } from './request-body.js';
import { rootEndpoint } from './root-endpoint.js';
import { handleSchemaRequest } from './schema-endpoints.js';
import { statusEndpoint, statusReadyEndpoint } from './status-endpoint.js';

export type { AdminConfigStore } from './config-endpoint.js';
export type { LocalCounters } from './labkit-endpoints.js';

export interface AdminDependencies {
  /** The lead's ConfigStore (only `current` and `apply` are used). */
  store: AdminConfigStore;
  settings: GatewaySettings;
  stats: ServerStats;
  /** This gateway's rate-limiting local counters. */
  counters: LocalCounters;
  /** This gateway's proxy-cache dicts, for Kong's /proxy-cache endpoints. */
  proxyCache: ProxyCacheStores;
  nodeId: string;
  hostname: string;
  /** Epoch ms when the gateway started. */
  startedAt: number;
}

type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

function splitUrl(rawUrl: string): { segments: string[]; rawQuery: string } {
  // Absolute-form request targets (`POST http://host/config`) carry the path after the authority.
  const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl) ? rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') : rawUrl;
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1).replace(/#.*$/, '');
  return { segments: path.split('/').filter((segment) => segment !== ''), rawQuery };
}

function onlyGet(method: string, answer: () => EndpointResult): EndpointResult {
  if (method !== 'GET') throw methodNotAllowed();
  return answer();
}

async function route(deps: AdminDependencies, req: IncomingMessage, method: string): Promise<EndpointResult> {
  const { segments, rawQuery } = splitUrl(req.url ?? '/');
  const query = parseQuery(rawQuery);
  const active = deps.store.current;
  const [first, ...rest] = segments;

  if (first === undefined) {
    return onlyGet(method, () =>
      rootEndpoint({
        settings: deps.settings,
        config: active.config,
        availablePlugins: availablePlugins(),
        nodeId: deps.nodeId,
        hostname: deps.hostname,
      }),
    );
  }
  if (first === 'status' && rest.length === 0) {
    return onlyGet(method, () => statusEndpoint({ query, stats: deps.stats, configurationHash: active.hash }));
  }
  if (first === 'status' && rest.length === 1 && rest[0] === 'ready') {
    return onlyGet(method, () => statusReadyEndpoint(active.hash));
  }
  if (first === 'config' && rest.length === 0) {
    if (method === 'GET') return getConfigEndpoint(deps.store, deps.settings.version);
    if (method !== 'POST') throw methodNotAllowed();
    const body = await readAndDecodeBody(req);
    return postConfigEndpoint({ query, body, store: deps.store });
  }
  if (first === 'endpoints' && rest.length === 0) return onlyGet(method, () => ({ status: 200, body: { data: listEndpoints() } }));
  if (first === 'schemas') {
    const readBody = async () => readAndDecodeBody(req);
    const result = await handleSchemaRequest(method, rest, readBody);
    if (result) return result;
    throw notFound();
  }
  if (first === LABKIT_PREFIX) {
    const result = await handleLabkitRequest(method, rest, deps.counters);
    if (result) return result;
    throw notFound();
  }
  if (first === PROXY_CACHE_PREFIX) {
    let result: EndpointResult | undefined;
    try {
      result = handleProxyCacheRequest(method, rest, deps.proxyCache, active.config.plugins);
    } catch (error) {
      if (error instanceof ProxyCacheMethodNotAllowed) throw methodNotAllowed();
      throw error;
    }
    if (result) return result;
    throw notFound();
  }
  const result = handleEntityRequest({
    method,
    segments,
    query,
    config: active.config,
    nowMs: Date.now(),
    availablePlugins: availablePlugins().map((plugin) => plugin.name).sort(),
  });
  if (result) return result;
  throw notFound();
}

export function createAdminHandler(deps: AdminDependencies): AdminHandler {
  return (req, res) => {
    const ctx: ResponseContext = { serverToken: deps.settings.serverToken, startedAt: performance.now() };
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      // CORS preflight, answered for every path like Kong's Admin API does.
      sendJson(res, ctx, 204, null, {
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS, PATCH, POST, PUT, DELETE',
        'Access-Control-Allow-Headers': 'Content-Type',
      });
      return;
    }
    const refusal = crossOriginWriteRefusal(method, req.headers.origin, deps.settings.adminAllowedOrigins);
    if (refusal) {
      // The body is never read: drain it so the 403 is not lost in a reset.
      req.resume();
      sendJson(res, ctx, refusal.status, refusal.body, refusal.headers);
      return;
    }
    // HEAD is answered as GET; node:http leaves the body out.
    route(deps, req, method === 'HEAD' ? 'GET' : method).then(
      (result) => sendJson(res, ctx, result.status, result.body),
      (error: unknown) => {
        if (error instanceof AdminHttpError) {
          sendJson(res, ctx, error.status, error.body, error.headers);
          return;
        }
        // The path is left out of the log on purpose: /key-auths/{key} would write a key.
        const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(`admin: unexpected error answering ${method}: ${reason}\n`);
        if (!res.headersSent) sendJson(res, ctx, 500, { message: 'An unexpected error occurred' });
        else res.destroy();
      },
    );
  };
}

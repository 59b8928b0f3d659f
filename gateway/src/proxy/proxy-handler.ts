// The proxy pipeline: route → plugins (access) → upstream → plugins (response, log).
// One ProxyExchange object per request carries the state (no per-request closures on the
// hot path); the configuration snapshot is taken once when the request arrives.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ActiveConfig, ConfigStore } from '../config-store.js';
import type { Consumer, Route, Service } from '../declarative/entities.js';
import type { AccessLog } from '../access-log.js';
import type { GatewaySettings } from '../settings.js';
import type { RouteMatch } from '../router/index.js';
import { runAccessPhase, runLogPhase, runResponsePhase, type AccessOutcome, type CollectedPlugin } from '../plugins/runtime.js';
import { KongResponse, PluginFailure } from '../plugins/types.js';
import type {
  AuthenticatedCredential,
  EntityLookup,
  ExchangeRecord,
  PluginContext,
  PluginRequest,
  ResponseEditor,
  UpstreamRequestEditor,
} from '../plugins/types.js';
import type { RouteCaptures } from '../router/types.js';
import { escapeUri } from '../router/upstream-uri.js';
import { NGINX_METHODS } from '../http/methods.js';
import { ForwardedHeader, HOP_BY_HOP, KongHeader } from '../http/kong-headers.js';
import { defaultErrorMessage, mimeTypeOf, renderErrorBody, responseTypeFromAccept } from '../http/error-response.js';
import { httpDate } from '../http/http-date.js';
import { newRequestId } from '../http/request-id.js';
import { headerValueBytes } from '../http/header-bytes.js';
import { writeErrorLog } from '../error-log.js';
import type { UpstreamPools } from './upstream-pools.js';
import { classifyUpstreamError, describeUpstreamError } from './upstream-errors.js';
import { loggableTarget, refusedByNginx } from './request-target.js';
import { watchRequestBody } from './client-body-timeout.js';
import { expectSocketFor } from './connection-reuse.js';
import { holdBodyForRetries } from './upstream-retry.js';
import { UpstreamTries, type TimedUpstreamRequest } from './upstream-tries.js';
import { ResponseHeaderList } from './response-editor.js';
// Upstream response headers that Kong writes itself, in its own position, are told apart by these kinds.
import { CONTENT_LENGTH, CONTENT_TYPE, HOP_BY_HOP_HEADER, PASS, SERVER, VIA, responseHeaderKind } from './response-header-kind.js';

export interface ProxyDependencies {
  store: ConfigStore;
  settings: GatewaySettings;
  pools: UpstreamPools;
  log: AccessLog;
}

interface ProxyContext extends ProxyDependencies {
  /** Built once: `1.1 kong/3.11.0.0-enterprise-edition`. */
  http11Via: string;
}

/** Request bodies that plugins read (key_in_body) are buffered up to this size, like nginx's client_max_body_size. */
const MAX_BUFFERED_BODY = 8 * 1024 * 1024;

/** Client headers Kong replaces rather than forwards. */
const REPLACED_REQUEST_HEADERS = new Set([
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-path',
  'x-forwarded-prefix',
  'x-real-ip',
  'via',
  'x-kong-request-id',
]);

/** Bit n set: some name of length n (31: length 31 or more) needs a look in lower case. */
function lengthBit(name: string): number {
  return 1 << Math.min(name.length, 31);
}

/** Lengths of REPLACED_REQUEST_HEADERS, HOP_BY_HOP and content-length: other client header names skip toLowerCase. */
const SPECIAL_REQUEST_NAME_LENGTHS = [...REPLACED_REQUEST_HEADERS, ...HOP_BY_HOP, 'content-length'].reduce((bits, name) => bits | lengthBit(name), 0);

let lastHostHeader = '';
let lastHostWithoutPort = '';

/** The Host header without its port, lower-cased (X-Forwarded-Host): clients repeat the same Host, so the last one is kept. */
function hostWithoutPort(hostHeader: string): string {
  if (hostHeader !== lastHostHeader) {
    lastHostWithoutPort = hostHeader.replace(/:\d+$/, '').toLowerCase();
    lastHostHeader = hostHeader;
  }
  return lastHostWithoutPort;
}

function elapsedMs(from: number, to: number): number {
  return Math.max(0, Math.round(to - from));
}

class RequestBodyTooLarge extends Error {}

const NO_CAPTURES: RouteCaptures = Object.freeze({ whole: null, unnamed: [], named: {} });


class ProxyExchange implements PluginContext, PluginRequest, UpstreamRequestEditor, Dispatcher.DispatchHandler, TimedUpstreamRequest {
  // PluginRequest
  readonly method: string;
  path: string;
  rawQuery: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
  readonly clientIp: string;
  readonly rawTarget: string;
  readonly httpVersion: string;
  /** The request target's path as received (X-Forwarded-Path and the access log show it). */
  readonly rawPath: string;
  // PluginContext
  readonly request: PluginRequest = this;
  readonly upstream: UpstreamRequestEditor = this;
  route: Route | null = null;
  service: Service | null = null;
  consumer: Consumer | null = null;
  credential: AuthenticatedCredential | null = null;
  anonymous = false;
  readonly startedAt: number;
  responseStatus?: number;
  readonly entities: EntityLookup;

  readonly requestId = newRequestId();
  readonly #startedHr = performance.now();
  #upstreamSentHr = 0;
  #upstreamHeadersHr = 0;
  #responseHeaders: string[] = [];
  #upstreamSetHeaders: Map<string, [string, string | readonly string[]]> | null = null;
  #upstreamRemovedHeaders: Set<string> | null = null;
  /** lengthBit of every name set or removed upstream (never cleared: a stale bit only costs a toLowerCase). */
  #upstreamEditedLengths = 0;
  #upstreamQuery: string | null = null;
  #upstreamMethod: string | null = null;
  /** Escaped path set by a plugin (kong.service.request.set_path); the query still follows it. */
  #upstreamPathOverride: string | null = null;
  /** The response's headers while the response phase runs and after (null before). */
  #responseList: ResponseHeaderList | null = null;
  /** Upstream body chunks held for a body filter. */
  #heldChunks: Buffer[] | null = null;
  #upstreamBody: Buffer | null = null;
  #bodyBuffer: Promise<Buffer> | null = null;
  #collected: CollectedPlugin[] = [];
  #secrets: Set<string> | null = null;
  /** The header list handed to writeHead (the log phase reports it). */
  #sentHeaders: readonly string[] = [];
  #finishedHr = 0;
  #record: ExchangeRecord | null = null;
  #match: RouteMatch | null = null;
  #upstreamAddress: string | null = null;
  #upstreamPath = '';
  #upstreamPool: Dispatcher | null = null;
  #upstreamStatus: number | null = null;
  #abortUpstream: ((err?: Error) => void) | null = null;
  #resumeUpstream: (() => void) | null = null;
  #source: 'upstream' | 'kong' = 'kong';
  #finished = false;
  #bytesSent = 0;
  /** The client's body paused too long and was answered 408: the upstream exchange no longer matters. */
  #clientTimedOut = false;
  /** Created when the request is forwarded: the tries, their retries and timeouts. */
  #tries: UpstreamTries | null = null;
  /** What each try sends: built once. */
  #upstreamHeaders: string[] | null = null;
  #upstreamBodyToSend: Buffer | IncomingMessage | null = null;
  /** The upstream's Content-Length as a number (-1: none), so a body that arrives whole can go out with end(). */
  #expectedLength = -1;
  /** A whole body held for onComplete: end(body) writes head and body at once, without write()'s extra tick. */
  #wholeBody: Buffer | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly snapshot: ActiveConfig,
    readonly deps: ProxyContext,
  ) {
    this.method = req.method ?? 'GET';
    this.headers = req.headers;
    this.rawHeaders = req.rawHeaders;
    this.clientIp = normalizeIp(req.socket.remoteAddress ?? '');
    this.entities = snapshot.entities;
    this.startedAt = Date.now();
    const url = req.url ?? '/';
    this.rawTarget = url;
    this.httpVersion = req.httpVersion;
    const queryAt = url.indexOf('?');
    this.rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    this.path = this.rawPath;
    this.rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
  }

  // ---- PluginContext / PluginRequest ----

  setResponseHeader(name: string, value: string): void {
    if (this.#responseList !== null) {
      this.#responseList.set(name, value);
      return;
    }
    const headers = this.#responseHeaders;
    // Names of another length cannot match: most calls lower-case nothing.
    let lower: string | null = null;
    for (let i = 0; i < headers.length; i += 2) {
      const existing = headers[i];
      if (existing.length !== name.length) continue;
      if (existing !== name && existing.toLowerCase() !== (lower ??= name.toLowerCase())) continue;
      headers[i + 1] = value;
      return;
    }
    headers.push(name, value);
  }

  get response(): ResponseEditor {
    if (this.#responseList === null) throw new PluginFailure('the response can only be edited in the response phase');
    return this.#responseList;
  }

  get uriCaptures(): RouteCaptures {
    return this.#match?.captures ?? NO_CAPTURES;
  }

  readBody(): Promise<Buffer> {
    if (this.#bodyBuffer === null) this.#bodyBuffer = bufferBody(this.req);
    return this.#bodyBuffer;
  }

  // ---- UpstreamRequestEditor ----

  setHeader(name: string, value: string | readonly string[]): void {
    const lower = name.toLowerCase();
    this.#upstreamEditedLengths |= lengthBit(name);
    (this.#upstreamSetHeaders ??= new Map()).set(lower, [name, value]);
    this.#upstreamRemovedHeaders?.delete(lower);
  }

  removeHeader(name: string): void {
    const lower = name.toLowerCase();
    this.#upstreamEditedLengths |= lengthBit(name);
    this.#upstreamSetHeaders?.delete(lower);
    (this.#upstreamRemovedHeaders ??= new Set()).add(lower);
  }

  currentHeaders(): Map<string, string[]> {
    const headers = new Map<string, string[]>();
    const removed = this.#upstreamRemovedHeaders;
    const set = this.#upstreamSetHeaders;
    const raw = this.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const lower = raw[i].toLowerCase();
      if (lower === 'host' || removed?.has(lower) || set?.has(lower)) continue;
      const values = headers.get(lower);
      if (values === undefined) headers.set(lower, [raw[i + 1]]);
      else values.push(raw[i + 1]);
    }
    if (set !== null) {
      for (const [lower, [, value]] of set) if (lower !== 'host') headers.set(lower, typeof value === 'string' ? [value] : [...value]);
    }
    return headers;
  }

  currentHeader(lower: string): string[] | undefined {
    if (lower === 'host') return undefined;
    const set = this.#upstreamSetHeaders?.get(lower);
    if (set !== undefined) return typeof set[1] === 'string' ? [set[1]] : [...set[1]];
    if (this.#upstreamRemovedHeaders?.has(lower)) return undefined;
    // Node's parsed headers (lower-case names) answer a miss without a scan of the raw ones.
    if (this.headers[lower] === undefined) return undefined;
    const values: string[] = [];
    const raw = this.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if (raw[i].length === lower.length && raw[i].toLowerCase() === lower) values.push(raw[i + 1]);
    // Names an object already has (`constructor`, `__proto__`) get past the first check unsent.
    return values.length === 0 ? undefined : values;
  }

  currentBody(): Promise<Buffer> {
    return this.#upstreamBody === null ? this.readBody() : Promise.resolve(this.#upstreamBody);
  }

  currentRawQuery(): string {
    return this.#upstreamQuery ?? this.rawQuery;
  }

  setRawQuery(rawQuery: string): void {
    this.#upstreamQuery = rawQuery;
  }

  setMethod(method: string): void {
    if (!NGINX_METHODS.has(method)) throw new PluginFailure(`invalid method: ${method}`);
    this.#upstreamMethod = method;
  }

  setPath(path: string): void {
    if (!path.startsWith('/')) throw new PluginFailure('path must start with /');
    this.#upstreamPathOverride = escapeUri(path);
  }

  setBody(body: Buffer, contentType?: string): void {
    this.#upstreamBody = body;
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
  }

  // ---- pipeline ----

  run(): void {
    const { router } = this.snapshot;
    const hostHeader = this.req.headers.host ?? '';
    const match = router.match({
      method: this.method,
      host: hostHeader,
      rawPath: this.path,
      rawQuery: this.req.url?.includes('?') ? this.rawQuery : null,
      headers: this.req.headers,
      listenerPort: this.req.socket.localPort ?? 0,
      scheme: 'http',
    });
    if (match === null) {
      this.sendKongError(404, 'no Route matched with those values');
      return;
    }
    this.#match = match;
    this.route = match.route;
    this.service = match.service;
    this.path = match.normalizedPath;

    if (!match.route.protocols.includes('http')) {
      this.rejectPlainHttp(match.route, hostHeader);
      return;
    }

    const outcome = runAccessPhase(this.snapshot.plan, this);
    if (outcome instanceof Promise) outcome.then((done) => this.afterAccess(done, match), (err: unknown) => this.fail(err));
    else this.afterAccess(outcome, match);
  }

  afterAccess({ collected, exit }: AccessOutcome, match: RouteMatch): void {
    this.#collected = collected;
    if (this.#clientTimedOut) return;
    if (exit instanceof KongResponse) {
      this.sendPluginResponse(exit);
      return;
    }
    if (exit !== null) {
      this.sendKongError(exit.status, exit.message ?? defaultErrorMessage(exit.status), exit.headers);
      return;
    }
    if (this.service === null) {
      this.sendKongError(503, 'no Service found with those values');
      return;
    }
    this.forward(this.service, match);
  }

  rejectPlainHttp(route: Route, hostHeader: string): void {
    const code = route.https_redirect_status_code;
    if (code === 426) {
      this.sendKongError(426, 'Please use HTTPS protocol', { Connection: 'Upgrade', Upgrade: 'TLS/1.2, HTTP/1.1' });
      return;
    }
    this.sendKongResponse(code, null, null, { Location: `https://${hostWithoutPort(hostHeader)}${this.req.url ?? '/'}` });
  }

  forward(service: Service, match: RouteMatch): void {
    let target;
    try {
      target = this.deps.pools.target(service);
    } catch {
      this.sendKongError(503, 'name resolution failed');
      return;
    }
    this.#upstreamAddress = target.address;
    this.#source = 'upstream';
    let path = match.upstreamUri;
    if (this.#upstreamPathOverride !== null) {
      const queryAt = path.indexOf('?');
      path = queryAt === -1 ? this.#upstreamPathOverride : `${this.#upstreamPathOverride}${path.slice(queryAt)}`;
    }
    if (this.#upstreamQuery !== null) {
      const queryAt = path.indexOf('?');
      const bare = queryAt === -1 ? path : path.slice(0, queryAt);
      path = this.#upstreamQuery === '' ? bare : `${bare}?${this.#upstreamQuery}`;
    }
    this.#upstreamPath = path;
    this.#upstreamPool = target.pool;
    this.#upstreamSentHr = performance.now();
    if (this.#bodyBuffer === null && holdBodyForRetries(this.#upstreamMethod ?? this.method, this.req.headers['content-length'], MAX_BUFFERED_BODY)) this.readBody();
    const body = this.#upstreamBody;
    if (body !== null || this.#bodyBuffer === null) {
      this.dispatchUpstream(body);
    } else {
      // A plugin read the body (key_in_body): send what it read.
      this.#bodyBuffer.then((buffered) => this.dispatchUpstream(buffered), (err: Error) => this.onError(err));
    }
  }

  dispatchUpstream(buffered: Buffer | null): void {
    if (this.#clientTimedOut) return;
    const streamBody = buffered === null && this.#bodyBuffer === null && hasRequestBody(this.req);
    this.#upstreamHeaders = this.buildUpstreamHeaders(this.#match!, buffered);
    this.#upstreamBodyToSend = streamBody ? this.req : buffered;
    this.#tries = new UpstreamTries(this);
    this.sendUpstreamTry();
  }

  sendUpstreamTry(): void {
    if (this.#finished) return;
    this.#tries!.begin();
    this.#upstreamPool!.dispatch(
      {
        method: this.#upstreamMethod ?? this.method,
        path: this.#upstreamPath,
        headers: this.#upstreamHeaders!,
        body: this.#upstreamBodyToSend,
        // Timed by UpstreamTries on Node timers instead.
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      this,
    );
  }

  /** A failed try sent again when Kong would; false when the failure is the answer. */
  retryUpstream(err: Error): boolean {
    // A body the gateway could not read (no try yet) is not retried.
    if (this.#finished || this.#tries === null) return false;
    if (!this.#tries.retryAfter(err, this.#upstreamMethod ?? this.method, this.#upstreamBodyToSend !== this.req, this.service!.retries)) return false;
    this.#abortUpstream = null;
    // Kong's latencies: proxy latency runs until the last try starts, upstream latency from there.
    this.#upstreamSentHr = performance.now();
    // Not from inside undici's error callback: the failed connection is still being torn down.
    queueMicrotask(() => this.sendUpstreamTry());
    return true;
  }

  abortTry(err: Error): void {
    this.#abortUpstream?.(err);
  }

  /** An unexpected error in the pipeline itself (not the upstream's): 500 like a Lua error in Kong. */
  fail(err: unknown): void {
    writeErrorLog({ event: 'error', request_id: this.requestId, error: String(err) });
    if (!this.res.headersSent) this.sendKongError(500, 'An unexpected error occurred');
    else this.res.destroy();
  }

  buildUpstreamHeaders(match: RouteMatch, body: Buffer | null): string[] {
    const { settings } = this.deps;
    const req = this.req;
    const removed = this.#upstreamRemovedHeaders;
    const set = this.#upstreamSetHeaders;
    const hostOverride = set?.get('host')?.[1];
    const out: string[] = ['Host', hostOverride === undefined ? match.upstreamHost : typeof hostOverride === 'string' ? hostOverride : hostOverride[0]];
    let clientForwardedFor: string | null = null;
    let clientVia: string | null = null;
    const raw = req.rawHeaders;
    const specialLengths = SPECIAL_REQUEST_NAME_LENGTHS | this.#upstreamEditedLengths;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i];
      if ((specialLengths & lengthBit(name)) === 0) {
        out.push(name, raw[i + 1]);
        continue;
      }
      const lower = name.toLowerCase();
      if (REPLACED_REQUEST_HEADERS.has(lower)) {
        if (lower === 'x-forwarded-for') clientForwardedFor = clientForwardedFor === null ? raw[i + 1] : `${clientForwardedFor}, ${raw[i + 1]}`;
        else if (lower === 'via') clientVia = clientVia === null ? raw[i + 1] : `${clientVia}, ${raw[i + 1]}`;
        continue;
      }
      if (HOP_BY_HOP.has(lower)) continue;
      if (removed !== null && removed.has(lower)) continue;
      if (set !== null && set.has(lower)) continue;
      if (body !== null && lower === 'content-length') continue;
      out.push(name, raw[i + 1]);
    }
    out.push(
      ForwardedHeader.For,
      clientForwardedFor === null ? this.clientIp : `${clientForwardedFor}, ${this.clientIp}`,
      ForwardedHeader.Proto,
      'http',
      ForwardedHeader.Host,
      hostWithoutPort(req.headers.host ?? ''),
      ForwardedHeader.Port,
      String(req.socket.localPort ?? ''),
      ForwardedHeader.Path,
      this.rawPath,
    );
    if (match.forwardedPrefix !== null) out.push(ForwardedHeader.Prefix, match.forwardedPrefix);
    out.push(ForwardedHeader.RealIp, this.clientIp);
    const via = req.httpVersion === '1.1' ? this.deps.http11Via : `${req.httpVersion} ${settings.serverToken}`;
    out.push(KongHeader.Via, clientVia === null ? via : `${clientVia}, ${via}`);
    out.push(KongHeader.RequestId, this.requestId);
    if (set !== null) {
      for (const [lower, [name, value]] of set) {
        if (lower === 'host' || (body !== null && lower === 'content-length')) continue;
        if (typeof value === 'string') out.push(name, headerValueBytes(value));
        else for (const one of value) out.push(name, headerValueBytes(one));
      }
    }
    if (body !== null) out.push('Content-Length', String(body.length));
    return out;
  }

  // ---- undici DispatchHandler (legacy callbacks: raw header order and case survive) ----

  onConnect(abort: (err?: Error) => void): void {
    this.#abortUpstream = abort;
    if (this.#finished) {
      abort();
      return;
    }
    this.#tries!.sending(this.service!.write_timeout);
    expectSocketFor(this.#tries!);
  }

  onBodySent(): void {
    this.#tries!.refresh();
  }

  onRequestSent(): void {
    if (this.#upstreamStatus === null) this.#tries!.arm(this.service!.read_timeout);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    this.#upstreamHeadersHr = performance.now();
    this.#tries!.answered(this.service!.read_timeout);
    this.#upstreamStatus = statusCode;
    this.#resumeUpstream = resume;
    this.responseStatus = statusCode;
    const { settings } = this.deps;
    let contentType: string | null = null;
    let contentLength: string | null = null;
    let upstreamVia: string | null = null;
    let server: string | null = null;
    let date: string | null = null;
    const passed: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const kind = responseHeaderKind(rawHeaders[i]);
      if (kind === PASS) {
        passed.push(rawHeaders[i].toString('latin1'), rawHeaders[i + 1].toString('latin1'));
        continue;
      }
      if (kind === HOP_BY_HOP_HEADER) continue;
      const value = rawHeaders[i + 1].toString('latin1');
      if (kind === CONTENT_TYPE) contentType = value;
      else if (kind === CONTENT_LENGTH) contentLength = value;
      else if (kind === VIA) upstreamVia = upstreamVia === null ? value : `${upstreamVia}, ${value}`;
      else if (kind === SERVER) server = value;
      else date = value;
    }
    // nginx's order: its own Date when the upstream sent none, Content-Type, Content-Length,
    // Connection, headers set in access, the upstream's other headers, then header_filter's.
    const out: string[] = [];
    if (date === null) out.push('Date', httpDate());
    if (contentType !== null) out.push('Content-Type', contentType);
    if (contentLength !== null) {
      out.push('Content-Length', contentLength);
      this.#expectedLength = Number(contentLength);
    }
    out.push('Connection', this.res.shouldKeepAlive ? 'keep-alive' : 'close');
    const placed = this.#responseHeaders;
    for (let i = 0; i < placed.length; i++) out.push(placed[i]);
    out.push('Server', server ?? settings.serverToken);
    if (date !== null) out.push('Date', date);
    for (let i = 0; i < passed.length; i++) out.push(passed[i]);
    const edited = (this.#responseList = new ResponseHeaderList(out));
    runResponsePhase(this.#collected, this);
    // Kong sets its own Server when none is left after the plugins.
    if (edited.touched && edited.get('server').length === 0) out.push('Server', settings.serverToken);
    edited.placeChunkedFraming(contentLength !== null, this.sendsChunkedBody(statusCode));
    if (edited.bodyFilters !== null) {
      this.#heldChunks = [];
      this.#expectedLength = -1;
    }
    out.push(
      KongHeader.UpstreamLatency,
      String(elapsedMs(this.#upstreamSentHr, this.#upstreamHeadersHr)),
      KongHeader.ProxyLatency,
      String(elapsedMs(this.#startedHr, this.#upstreamSentHr)),
      KongHeader.Via,
      upstreamVia === null ? this.deps.http11Via : `${upstreamVia}, ${this.deps.http11Via}`,
      KongHeader.RequestId,
      this.requestId,
    );
    this.#sentHeaders = out;
    this.res.writeHead(statusCode, statusText || undefined, out);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#tries!.refresh();
    if (this.#heldChunks !== null) {
      this.#heldChunks.push(chunk);
      return true;
    }
    if (this.#bytesSent === 0 && chunk.length === this.#expectedLength) {
      this.#bytesSent = chunk.length;
      this.#wholeBody = chunk;
      return true;
    }
    if (this.#wholeBody !== null) {
      // More than Content-Length announced: send what was held first, in order.
      this.res.write(this.#wholeBody);
      this.#wholeBody = null;
    }
    this.#bytesSent += chunk.length;
    const flushed = this.res.write(chunk);
    if (!flushed) this.res.once('drain', this.#resumeUpstream ?? noop);
    return flushed;
  }

  onComplete(): void {
    this.#tries!.clear();
    if (this.#heldChunks !== null) {
      this.endFiltered(Buffer.concat(this.#heldChunks));
      return;
    }
    const body = this.#wholeBody;
    this.#wholeBody = null;
    if (body === null) this.res.end();
    else this.res.end(body);
  }

  /** The held body through the plugins' body filters, then out. */
  endFiltered(body: Buffer): void {
    this.#heldChunks = null;
    const out = this.filteredBody(body);
    this.#bytesSent += out.length;
    this.res.end(out);
  }

  /** A failing body filter leaves the body as it came (Kong logs the error and sends the body on). */
  filteredBody(body: Buffer): Buffer {
    try {
      return this.#responseList!.filtered(body);
    } catch (err) {
      writeErrorLog({ event: 'error', request_id: this.requestId, error: `body filter: ${String(err)}` });
      return body;
    }
  }

  onError(err: Error): void {
    this.#tries?.clear();
    if (this.#clientTimedOut) return;
    // A client that went away aborts the upstream request: that is no upstream failure.
    if (!this.#finished) {
      writeErrorLog({
        event: 'upstream_error',
        request_id: this.requestId,
        upstream_address: this.#upstreamAddress,
        try: this.#tries?.count ?? 1,
        error: describeUpstreamError(err),
      });
    }
    if (this.res.headersSent) {
      // Mid-body failure: nothing valid can be sent any more; cut the connection like nginx.
      this.res.destroy(err);
      this.finish();
      return;
    }
    if (this.retryUpstream(err)) return;
    const { status, message } = classifyUpstreamError(err);
    this.#source = 'kong';
    this.sendUpstreamErrorPage(status, message);
  }

  /** client_body_timeout fired: 408 and the connection closed when nothing was sent yet, else the connection cut. */
  clientBodyTimedOut(): void {
    if (this.#clientTimedOut) return;
    this.#clientTimedOut = true;
    const abortUpstream = this.#abortUpstream;
    if (this.#finished || this.res.headersSent) {
      // Answered already (or answering) while the body still drips: nothing more to say, cut it.
      this.req.socket.destroy();
    } else {
      this.#source = 'kong';
      this.sendKongError(408, defaultErrorMessage(408), { Connection: 'close' });
    }
    abortUpstream?.();
  }

  /** Whether Node frames a body without Content-Length as chunked here (HTTP/1.1, a status and method with a body). */
  sendsChunkedBody(status: number): boolean {
    return this.req.httpVersion === '1.1' && this.method !== 'HEAD' && status !== 204 && status !== 304 && status >= 200;
  }

  // ---- Kong-generated responses ----

  /** kong.response.error: body format from Accept. */
  sendKongError(status: number, message: string, headers: Record<string, string> = {}): void {
    const mime = responseTypeFromAccept(this.req.headers.accept);
    this.sendKongResponse(status, mime, renderErrorBody(mime, message, this.requestId), headers);
  }

  /** nginx error pages through Kong's error handler: Accept, else Content-Type, else text/plain. */
  sendUpstreamErrorPage(status: number, message: string): void {
    const accept = this.req.headers.accept ?? this.req.headers['content-type'] ?? 'text/plain';
    const mime = mimeTypeOf(accept);
    this.sendKongResponse(status, mime, renderErrorBody(mime, message, this.requestId), {});
  }

  sendKongResponse(status: number, mime: string | null, body: string | null, headers: Record<string, string>): void {
    this.responseStatus = status;
    const { settings } = this.deps;
    const out: string[] = ['Date', httpDate()];
    if (mime !== null) out.push('Content-Type', mime);
    let connection = this.res.shouldKeepAlive ? 'keep-alive' : 'close';
    if (headers.Connection !== undefined) connection = headers.Connection;
    out.push('Connection', connection);
    for (const value of this.#responseHeaders) out.push(value);
    for (const name of Object.keys(headers)) if (name !== 'Connection') out.push(name, headers[name]);
    let payload: Buffer | null = body === null ? null : Buffer.from(body, 'utf8');
    out.push('Content-Length', String(payload === null ? 0 : payload.length));
    const edited = (this.#responseList = new ResponseHeaderList(out));
    runResponsePhase(this.#collected, this);
    edited.placeChunkedFraming(true, payload !== null && this.sendsChunkedBody(status));
    if (payload !== null && edited.bodyFilters !== null) payload = this.filteredBody(payload);
    out.push(
      KongHeader.ResponseLatency,
      String(elapsedMs(this.#startedHr, performance.now())),
      KongHeader.Server,
      settings.serverToken,
      KongHeader.RequestId,
      this.requestId,
    );
    this.#sentHeaders = out;
    this.res.writeHead(status, out);
    if (payload !== null) this.#bytesSent += payload.length;
    this.res.end(this.method === 'HEAD' ? undefined : payload ?? undefined);
  }

  /**
   * kong.response.exit with a plugin's own headers and body (a proxy-cache hit). Kong counts such a
   * response as proxied, so it gets the upstream latency headers, X-Kong-Upstream-Latency 0.
   */
  sendPluginResponse(exit: KongResponse): void {
    this.responseStatus = exit.status;
    const out: string[] = [];
    const given = new Set<string>();
    for (let i = 0; i < exit.lines.length; i += 2) given.add(exit.lines[i].toLowerCase());
    if (!given.has('date')) out.push('Date', httpDate());
    for (const line of exit.lines) out.push(line);
    out.push('Content-Length', String(exit.body.length), 'Connection', this.res.shouldKeepAlive ? 'keep-alive' : 'close');
    const placed = this.#responseHeaders;
    for (let i = 0; i < placed.length; i += 2) if (!given.has(placed[i].toLowerCase())) out.push(placed[i], placed[i + 1]);
    const edited = (this.#responseList = new ResponseHeaderList(out));
    runResponsePhase(this.#collected, this);
    const payload = edited.bodyFilters === null ? exit.body : this.filteredBody(exit.body);
    if (edited.get('server').length === 0) out.push('Server', this.deps.settings.serverToken);
    out.push(
      KongHeader.UpstreamLatency,
      '0',
      KongHeader.ProxyLatency,
      String(elapsedMs(this.#startedHr, performance.now())),
      KongHeader.Via,
      this.deps.http11Via,
      KongHeader.RequestId,
      this.requestId,
    );
    this.#sentHeaders = out;
    this.res.writeHead(exit.status, out);
    const sent = this.method === 'HEAD' ? undefined : payload;
    if (sent !== undefined) this.#bytesSent += sent.length;
    this.res.end(sent);
  }

  // ---- log ----

  markSecret(value: string): void {
    (this.#secrets ??= new Set()).add(value);
  }

  get exchange(): ExchangeRecord {
    if (this.#finishedHr === 0) throw new PluginFailure('the exchange record is only known in the log phase');
    return (this.#record ??= this.buildRecord(this.#finishedHr));
  }

  buildRecord(now: number): ExchangeRecord {
    const upstreamTimed = this.#upstreamHeadersHr > 0;
    const address = this.#upstreamAddress;
    const colon = address === null ? -1 : address.lastIndexOf(':');
    return {
      secrets: this.#secrets ?? NO_SECRETS,
      host: hostWithoutPort(this.req.headers.host ?? ''),
      listenerPort: this.req.socket.localPort ?? 0,
      requestSize: requestSize(this.req, this.#bodyBuffer !== null),
      upstreamUri: address === null ? null : this.#upstreamPath,
      upstreamStatus: this.#upstreamStatus,
      // One entry per try (retries go to the same address: there is no balancer here).
      tries: address === null
        ? []
        : Array.from({ length: this.#tries?.count ?? 1 }, () => ({
            ip: address.slice(0, colon),
            port: Number(address.slice(colon + 1)),
            balancerStart: this.startedAt + Math.round(this.#upstreamSentHr - this.#startedHr),
          })),
      responseHeaders: this.#sentHeaders,
      bytesSent: headerBytes(this.res.statusCode, this.res.statusMessage, this.#sentHeaders) + this.#bytesSent,
      latencies: {
        kong: elapsedMs(this.#startedHr, upstreamTimed ? this.#upstreamSentHr : now),
        proxy: upstreamTimed ? elapsedMs(this.#upstreamSentHr, this.#upstreamHeadersHr) : -1,
        request: elapsedMs(this.#startedHr, now),
        receive: upstreamTimed ? elapsedMs(this.#upstreamHeadersHr, now) : 0,
      },
      source: this.#source,
    };
  }

  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#tries?.clear();
    this.#abortUpstream?.();
    const now = (this.#finishedHr = performance.now());
    const upstreamTimed = this.#upstreamHeadersHr > 0;
    runLogPhase(this.#collected, this);
    this.deps.log.write({
      event: 'access',
      time: isoTime(this.startedAt),
      request_id: this.requestId,
      client_ip: this.clientIp,
      method: this.method,
      path: loggableTarget(this.rawPath),
      status: this.res.statusCode,
      source: this.#source,
      route: this.route ? (this.route.name ?? this.route.id) : null,
      service: this.service ? (this.service.name ?? this.service.id) : null,
      consumer: this.consumer ? (this.consumer.username ?? this.consumer.id) : null,
      upstream_status: this.#upstreamStatus,
      upstream_address: this.#upstreamAddress,
      latencies: {
        kong: elapsedMs(this.#startedHr, upstreamTimed ? this.#upstreamSentHr : now),
        proxy: upstreamTimed ? elapsedMs(this.#upstreamSentHr, this.#upstreamHeadersHr) : null,
        request: elapsedMs(this.#startedHr, now),
      },
      bytes_sent: this.#bytesSent,
    });
  }
}

function noop(): void {}

const NO_SECRETS: ReadonlySet<string> = new Set();

/** nginx's $request_length: request line, headers, and the body as far as it was read or announced. */
function requestSize(req: IncomingMessage, bodyRead: boolean): number {
  let bytes = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`.length + 2;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) bytes += raw[i].length + raw[i + 1].length + 4;
  const length = Number(req.headers['content-length'] ?? 0);
  return bytes + (Number.isFinite(length) && (bodyRead || length > 0) ? length : 0);
}

/** The status line and header block as written, in bytes ($bytes_sent counts them with the body). */
function headerBytes(status: number, statusText: string | undefined, lines: readonly string[]): number {
  let bytes = `HTTP/1.1 ${status} ${statusText ?? ''}\r\n`.length + 2;
  for (let i = 0; i < lines.length; i += 2) bytes += Buffer.byteLength(lines[i]) + Buffer.byteLength(lines[i + 1]) + 4;
  return bytes;
}

function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

function bufferBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BUFFERED_BODY) {
        req.destroy(new RequestBodyTooLarge(`request body larger than ${MAX_BUFFERED_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

const EXCHANGE = Symbol('exchange');

type ExchangeResponse = ServerResponse & { [EXCHANGE]?: ProxyExchange };

/** A module-level listener (no closure per request): the response carries its exchange. */
function finishExchange(this: ExchangeResponse): void {
  this[EXCHANGE]?.finish();
}

export function createProxyHandler(dependencies: ProxyDependencies): (req: IncomingMessage, res: ServerResponse) => void {
  const deps: ProxyContext = { ...dependencies, http11Via: `1.1 ${dependencies.settings.serverToken}` };
  return (req, res: ExchangeResponse) => {
    res.sendDate = false;
    const exchange = new ProxyExchange(req, res, deps.store.current, deps);
    res[EXCHANGE] = exchange;
    // `on`, not `once`: once wraps the listener in a new closure per call; a response closes once, and finish() is idempotent anyway.
    res.on('close', finishExchange);
    try {
      if (refusedByNginx(req)) {
        exchange.sendKongError(400, 'Bad request', { Connection: 'close' });
        return;
      }
      if (hasRequestBody(req)) watchRequestBody(req, res, deps.settings.clientBodyTimeoutMs, () => exchange.clientBodyTimedOut());
      exchange.run();
    } catch (err) {
      exchange.fail(err);
    }
  };
}

let isoSecond = -1;
let isoPrefix = '';

/** toISOString() with the seconds part built once per second. */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const millis = ms - second * 1000;
  return `${isoPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

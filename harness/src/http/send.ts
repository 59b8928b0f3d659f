// The kit's one way to send an HTTP request (undici underneath): the answer's header names as the
// server spelled them and in its order, one timeout policy (timeouts.ts), one error (errors.ts), and
// redirects never followed — a 301 is an answer to show, as curl shows it without -L.

import { STATUS_CODES } from 'node:http';
import type { Agent, Dispatcher } from 'undici';
// undici's index loads all of undici (fetch, WebSocket, cookies, caches, mocks: about 1 MB, a tenth of a second
// of every command's start-up); the kit needs its connection pools and request() only, so it loads those two files.
import AgentClass from 'undici/lib/dispatcher/agent.js';
import dispatchRequest from 'undici/lib/api/api-request.js';
import { describeFailure, HttpRequestError, maskUrlCredentials } from './errors.js';
import { CONNECT_TIMEOUT_MS, TOTAL_TIMEOUT_MS, type Timeouts } from './timeouts.js';

export type HeaderPairs = ReadonlyArray<readonly [string, string]>;
/** A pool of connections requests go through (openConnections). */
export type Connections = Dispatcher;

export interface SendOptions {
  method?: string;
  /** Sent in this order, names as written. */
  headers?: HeaderPairs | Record<string, string>;
  body?: string | Buffer;
  /** What is being reached, for the error text: "the gateway's Admin API" (default "the server"). */
  target?: string;
  timeouts?: Timeouts;
  /** Connections of the caller's own (openConnections); default: the process's shared pool. */
  dispatcher?: Connections;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** The reason phrase as the server sent it (`OK`, `Too Many Requests`); the standard one when it sent none. */
  statusText: string;
  /** In the order the server sent them, names as sent; a repeated header is repeated. */
  headers: Array<[string, string]>;
  body: Buffer;
  text(): string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json(): unknown;
  /** The first value of a header, by name in any case. */
  header(name: string): string | undefined;
}

export interface ConnectionOptions {
  /**
   * A new connection for every request, closed after it, as each curl of a page opens its own:
   * behind a per-connection balancer each request then goes to the next node.
   */
  newConnectionEachRequest?: boolean;
  /** A Unix socket instead of TCP (Docker's API). */
  socketPath?: string;
  connectMs?: number;
}

/** A connection pool of the caller's own, closed by it (`await pool.close()`) so that nothing keeps the process alive. */
export function openConnections(options: ConnectionOptions = {}): Agent {
  const connect = { timeout: options.connectMs ?? CONNECT_TIMEOUT_MS, ...(options.socketPath ? { socketPath: options.socketPath } : {}) };
  // pipelining 0: no keep-alive, so every request opens (and closes) its own connection.
  return options.newConnectionEachRequest ? new AgentClass({ pipelining: 0, connect }) : new AgentClass({ keepAliveTimeout: 2_000, connect });
}

const sharedPools = new Map<number, Agent>();
function sharedPool(connectMs: number): Agent {
  let pool = sharedPools.get(connectMs);
  if (!pool) {
    pool = openConnections({ connectMs });
    sharedPools.set(connectMs, pool);
  }
  return pool;
}

function headerList(headers: SendOptions['headers']): string[] {
  if (!headers) return [];
  const pairs = Array.isArray(headers) ? (headers as HeaderPairs) : Object.entries(headers as Record<string, string>);
  return pairs.flatMap(([name, value]) => [name, value]);
}

function responseOf(status: number, headers: Array<[string, string]>, body: Buffer, statusText?: string): HttpResponse {
  return {
    status,
    statusText: statusText || (STATUS_CODES[status] ?? ''),
    headers,
    body,
    text: () => body.toString('utf8'),
    json: () => {
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    header: (name) => headers.find(([given]) => given.toLowerCase() === name.toLowerCase())?.[1],
  };
}

/** Sends one request and reads the whole answer; no answer at all is an HttpRequestError. */
export async function send(url: string, options: SendOptions = {}): Promise<HttpResponse> {
  const connectMs = options.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS;
  const totalMs = options.timeouts?.totalMs ?? TOTAL_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(totalMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const parsed = new URL(url);
    const response = await dispatchRequest.call(options.dispatcher ?? sharedPool(connectMs), {
      origin: parsed.origin,
      path: `${parsed.pathname}${parsed.search}`,
      method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headerList(options.headers),
      body: options.body,
      // undici asks to close the connection after HEAD unless told otherwise; curl, whose commands
      // the kit shows, does not, and the Connection header an answer carries is part of what pages document.
      reset: false,
      responseHeaders: 'raw',
      signal,
      headersTimeout: totalMs,
      bodyTimeout: totalMs,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return responseOf(response.statusCode, rawPairs(response.headers as unknown as string[]), body, response.statusText);
  } catch (error) {
    const shown = maskUrlCredentials(url);
    const { failure, reason } = describeFailure(error, { connectMs, totalMs });
    throw new HttpRequestError(options.target ?? 'the server', shown, failure, reason.split(url).join(shown));
  }
}

/** undici's `responseHeaders: 'raw'`: name, value, name, value… */
function rawPairs(flat: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index + 1 < flat.length; index += 2) pairs.push([String(flat[index]), String(flat[index + 1])]);
  return pairs;
}

/** Lowercase name → value, repeated headers joined with `, ` (as Kong's PDK and httpbin see them). */
export function headerRecord(headers: HeaderPairs): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    flat[key] = key in flat ? `${flat[key]}, ${value}` : value;
  }
  return flat;
}

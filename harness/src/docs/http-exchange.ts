// Sends a page's curl request through the kit's HTTP layer, as curl would put it on the wire, and keeps what
// curl would print: the status line, the headers in order and as the server spelled them, the body.

import { HttpRequestError, send, type Connections } from '../http/index.js';
import { expandWord } from './shell-words.js';
import type { CurlRequest } from './types.js';
import { ADMIN_URL_VARIABLES, PROXY_URL_VARIABLES } from './curl-command.js';
import { KONG_ADMIN_PORT, KONG_PROXY_PORT } from '../constants.js';
import { LabkitError } from '../errors/labkit-error.js';

/** What curl sends unless the command overrides it. */
export const CURL_USER_AGENT = 'curl/8.5.0';
export const REQUEST_TIMEOUT_MS = 10_000;

export interface ActualResponse {
  /** `HTTP/1.1 200 OK`. */
  statusLine: string;
  status: number;
  /** In the order the server sent them, names as sent. */
  headers: Array<[string, string]>;
  body: string;
  /** What curl sent, as `curl -v` prints it: `GET /path HTTP/1.1`, then Host, User-Agent, Accept, the -H headers. */
  sent: { requestLine: string; headers: Array<[string, string]> };
}

export interface Addresses {
  proxyUrl: string;
  adminUrl: string;
}

export class RequestFailedError extends LabkitError {
  constructor(problem: string) {
    super('REQUEST_FAILED', { problem: problem });
    this.name = 'RequestFailedError';
  }
}

/** The request's URL against this environment: `$DATA_PLANE_LB` → the proxy, `$KONG_ADMIN_URL` → the Admin API. */
export function resolveUrl(curl: CurlRequest, addresses: Addresses): string {
  const proxy = addresses.proxyUrl.replace(/\/+$/, '');
  const admin = addresses.adminUrl.replace(/\/+$/, '');
  let url = expandWord(curl.url, (name) => {
    if ((PROXY_URL_VARIABLES as readonly string[]).includes(name)) return proxy;
    if ((ADMIN_URL_VARIABLES as readonly string[]).includes(name)) return admin;
    throw new RequestFailedError(`$${name} is not a variable verify-docs knows`);
  });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  // Kong's default listeners, as pages for a local Kong write them.
  const kong = (port: number): RegExp => new RegExp(`^https?://(?:localhost|127\\.0\\.0\\.1):${port}(?=/|$|\\?)`, 'i');
  url = url.replace(kong(KONG_PROXY_PORT), proxy).replace(kong(KONG_ADMIN_PORT), admin);
  return url;
}

export async function sendCurlRequest(curl: CurlRequest, addresses: Addresses, options: { dispatcher?: Connections } = {}): Promise<ActualResponse> {
  const url = resolveUrl(curl, addresses);
  const headers: Array<[string, string]> = [];
  const removed = new Set(curl.removedHeaders.map((name) => name.toLowerCase()));
  const given = new Set(curl.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of [['User-Agent', CURL_USER_AGENT], ['Accept', '*/*']] as const) {
    if (!removed.has(name.toLowerCase()) && !given.has(name.toLowerCase())) headers.push([name, value]);
  }
  headers.push(...curl.headers);
  const target = new URL(url);
  const sentHeaders: Array<[string, string]> = [['Host', target.host], ...headers];
  if (curl.body !== undefined) {
    const typeAt = sentHeaders.findIndex(([name]) => name.toLowerCase() === 'content-type');
    sentHeaders.splice(typeAt >= 0 ? typeAt : sentHeaders.length, 0, ['Content-Length', String(Buffer.byteLength(curl.body))]);
  }
  const sent = { requestLine: `${curl.method} ${target.pathname}${target.search} HTTP/1.1`, headers: sentHeaders };
  try {
    const response = await send(url, { method: curl.method, headers, body: curl.body, target: 'the gateway', dispatcher: options.dispatcher, timeouts: { totalMs: REQUEST_TIMEOUT_MS } });
    return {
      statusLine: `HTTP/1.1 ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      status: response.status,
      headers: response.headers,
      body: response.text(),
      sent,
    };
  } catch (error) {
    if (error instanceof HttpRequestError) throw new RequestFailedError(error.message);
    throw error;
  }
}

/** Header names as Kong and httpbin write them (undici hands them over in lowercase). */
const SPELLED: Record<string, string> = { 'www-authenticate': 'WWW-Authenticate', etag: 'ETag' };

/** `x-ratelimit-limit-minute` → `X-RateLimit-Limit-Minute`, as pages write header names. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (SPELLED[lower]) return SPELLED[lower];
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase()).replace(/Ratelimit/g, 'RateLimit');
}

/** What curl prints for the answer: `-v`'s `> `/`< ` lines, `-i`'s status and headers, the body, `-w`'s text. */
export function printedOutput(actual: ActualResponse, shows: CurlRequest['shows'], writeOut?: string): string {
  const lines: string[] = [];
  if (shows.verbose) {
    lines.push(`> ${actual.sent.requestLine}`, ...actual.sent.headers.map(([name, value]) => `> ${name}: ${value}`), '> ');
    lines.push(`< ${actual.statusLine}`, ...actual.headers.map(([name, value]) => `< ${canonicalHeaderName(name)}: ${value}`), '< ');
  } else if (shows.headers) {
    lines.push(actual.statusLine, ...actual.headers.map(([name, value]) => `${canonicalHeaderName(name)}: ${value}`), '');
  }
  let text = lines.join('\n') + (lines.length > 0 ? '\n' : '');
  if (shows.body) text += actual.body;
  if (writeOut !== undefined) text += writeOut.replace(/%\{(?:http_code|response_code)\}/g, String(actual.status));
  return text;
}

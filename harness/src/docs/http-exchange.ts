// Sends a page's curl request with undici, as curl would put it on the wire, and keeps what curl would print:
// the status line, the headers in order, the body.

import { request, type Dispatcher } from 'undici';
import { expandWord } from './shell-words.js';
import type { CurlRequest } from './types.js';
import { ADMIN_URL_VARIABLES, PROXY_URL_VARIABLES } from './curl-command.js';

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
}

export interface Addresses {
  proxyUrl: string;
  adminUrl: string;
}

export class RequestFailedError extends Error {
  constructor(problem: string) {
    super(problem);
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
  url = url.replace(/^https?:\/\/(?:localhost|127\.0\.0\.1):8000(?=\/|$|\?)/i, proxy).replace(/^https?:\/\/(?:localhost|127\.0\.0\.1):8001(?=\/|$|\?)/i, admin);
  return url;
}

export async function sendCurlRequest(curl: CurlRequest, addresses: Addresses, options: { dispatcher?: Dispatcher } = {}): Promise<ActualResponse> {
  const url = resolveUrl(curl, addresses);
  const headers: Array<[string, string]> = [];
  const removed = new Set(curl.removedHeaders.map((name) => name.toLowerCase()));
  const given = new Set(curl.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of [['User-Agent', CURL_USER_AGENT], ['Accept', '*/*']] as const) {
    if (!removed.has(name.toLowerCase()) && !given.has(name.toLowerCase())) headers.push([name, value]);
  }
  headers.push(...curl.headers);
  try {
    const response = await request(url, {
      method: curl.method as Dispatcher.HttpMethod,
      headers: headers.flat(),
      body: curl.body,
      // undici asks to close the connection after HEAD unless told otherwise; curl does not, and the
      // Connection header the gateway answers with is part of what pages document.
      reset: false,
      dispatcher: options.dispatcher,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    const body = Buffer.from(await response.body.arrayBuffer()).toString('utf8');
    return {
      statusLine: `HTTP/1.1 ${response.statusCode}${response.statusText ? ` ${response.statusText}` : ''}`,
      status: response.statusCode,
      headers: headerPairs(response.headers),
      body,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    throw new RequestFailedError(`no response from ${new URL(url).origin} (${code}: ${(error as Error).message}); is the gateway running?`);
  }
}

function headerPairs(headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, one]);
  }
  return pairs;
}

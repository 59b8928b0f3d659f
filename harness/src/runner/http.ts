// One request of a check, sent with undici (the project's one HTTP client), recorded as the result model has it.

import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import type { RequestSpec } from '../spec/types.js';
import type { RequestRecord, ResponseRecord } from './results.js';

/** Bytes of the body kept in the result (the whole body is still used for the expectations). */
export const BODY_EXCERPT_CHARS = 600;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface SentExchange {
  request: RequestRecord;
  response: ResponseRecord | null;
  /** The whole body as text (empty for HEAD). */
  bodyText: string;
  error?: string;
}

/** What will go on the wire for a lab request against `proxyUrl` (curl does the same by default: `Accept: *\/*`). */
export function prepareRequest(proxyUrl: string, spec: RequestSpec): RequestRecord & { realUrl: string } {
  const base = proxyUrl.replace(/\/+$/, '');
  const query = spec.query.length > 0 ? `?${new URLSearchParams(spec.query).toString()}` : '';
  const realUrl = `${base}${spec.path}${query}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of spec.headers) headers[name] = value;
  const has = (name: string): boolean => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (!has('accept')) headers.accept = '*/*';

  const record: RequestRecord & { realUrl: string } = { method: spec.method, url: maskUrlCredentials(realUrl), headers, realUrl };
  if (spec.body) {
    const { text, contentType } = encodeBody(spec.body);
    const type = spec.body.contentType ?? contentType;
    if (!has('content-type')) headers['content-type'] = type;
    record.body = { text, contentType: type };
  }
  return record;
}

function encodeBody(body: NonNullable<RequestSpec['body']>): { text: string; contentType: string } {
  switch (body.kind) {
    case 'form': return { text: new URLSearchParams(body.fields).toString(), contentType: 'application/x-www-form-urlencoded' };
    case 'json': return { text: JSON.stringify(body.value), contentType: 'application/json' };
    case 'raw': return { text: body.text, contentType: 'text/plain' };
  }
}

export async function sendRequest(
  prepared: RequestRecord & { realUrl: string },
  options: { dispatcher?: Dispatcher; timeoutMs?: number } = {},
): Promise<SentExchange> {
  const { realUrl, ...recorded } = prepared;
  const timeout = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const started = performance.now();
  try {
    const response = await request(realUrl, {
      method: prepared.method as Dispatcher.HttpMethod,
      headers: prepared.headers,
      body: prepared.body?.text,
      // undici asks to close the connection after HEAD unless told otherwise; curl, whose commands we show, does not.
      reset: false,
      dispatcher: options.dispatcher,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    const bodyText = bytes.toString('utf8');
    return {
      request: recorded,
      bodyText,
      response: {
        status: response.statusCode,
        statusText: STATUS_CODES[response.statusCode] ?? '',
        headers: flattenHeaders(response.headers),
        bodyExcerpt: bodyText.length > BODY_EXCERPT_CHARS ? `${bodyText.slice(0, BODY_EXCERPT_CHARS)}…` : bodyText,
        bodyBytes: bytes.length,
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    const reason = (error as Error & { code?: string }).code ?? (error as Error).name;
    const message = `${reason}: ${(error as Error).message}`.split(realUrl).join(recorded.url);
    return {
      request: recorded,
      response: null,
      bodyText: '',
      error: `no response from ${recorded.url} (${message}); is the gateway running at that address?`,
    };
  }
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** `http://user:secret@host` → `http://***@host`: URLs given on the command line may carry credentials. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

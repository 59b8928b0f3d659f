// One request of a check, sent through the kit's HTTP layer, recorded as the result model has it.

import { headerRecord, HttpRequestError, maskUrlCredentials, send, type Connections } from '../http/index.js';
import type { RequestSpec } from '../spec/types.js';
import type { RequestRecord, ResponseRecord } from './results.js';

// Where the runner's users have always found it; it lives in the HTTP layer.
export { maskUrlCredentials };

/** Bytes of the body kept in the result (the whole body is still used for the expectations). */
export const BODY_EXCERPT_CHARS = 2000;
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
  options: { dispatcher?: Connections; timeoutMs?: number } = {},
): Promise<SentExchange> {
  const { realUrl, ...recorded } = prepared;
  const started = performance.now();
  try {
    const response = await send(realUrl, {
      method: prepared.method,
      headers: prepared.headers,
      body: prepared.body?.text,
      target: 'the gateway',
      dispatcher: options.dispatcher,
      timeouts: { totalMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS },
    });
    const bodyText = response.text();
    return {
      request: recorded,
      bodyText,
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: headerRecord(response.headers),
        rawHeaders: response.headers,
        bodyExcerpt: bodyText.length > BODY_EXCERPT_CHARS ? `${bodyText.slice(0, BODY_EXCERPT_CHARS)}…` : bodyText,
        bodyBytes: response.body.length,
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return { request: recorded, response: null, bodyText: '', error: error.message };
  }
}

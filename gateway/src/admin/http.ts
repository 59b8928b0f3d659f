// How the Admin API writes responses: Kong's headers on every answer and cjson-shaped bodies.

import type { ServerResponse } from 'node:http';

/** A request the Admin API refuses; the handler turns it into `status` + `body` (Kong's JSON error shapes). */
export class AdminHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
    this.name = 'AdminHttpError';
  }
}

export const notFound = (): AdminHttpError => new AdminHttpError(404, { message: 'Not found' });
export const methodNotAllowed = (): AdminHttpError => new AdminHttpError(405, { message: 'Method not allowed' });

/** Kong's `Errors.codes`, for the bodies that carry `code` and `name`. */
export const KONG_ERROR = {
  INVALID_OFFSET: { code: 7, name: 'invalid offset' },
  INVALID_SIZE: { code: 9, name: 'invalid size' },
  INVALID_OPTIONS: { code: 11, name: 'invalid options' },
  OPERATION_UNSUPPORTED: { code: 12, name: 'operation unsupported' },
  SCHEMA_VIOLATION: { code: 2, name: 'schema violation' },
} as const;

/**
 * JSON as lua-cjson writes it: compact, with `/` escaped as `\/` (the Admin API shows
 * `"next":"\/services?offset=…"`). JSON.stringify never emits a bare `/` outside strings,
 * so a global replacement only touches string contents.
 */
export function cjsonEncode(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

export interface ResponseContext {
  serverToken: string;
  /** performance.now() when the request arrived, for X-Kong-Admin-Latency. */
  startedAt: number;
}

function commonHeaders(res: ServerResponse, ctx: ResponseContext): void {
  res.setHeader('Server', ctx.serverToken);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('X-Kong-Admin-Latency', String(Math.max(0, Math.round(performance.now() - ctx.startedAt))));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
}

export function sendJson(
  res: ServerResponse,
  ctx: ResponseContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  commonHeaders(res, ctx);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === null || body === undefined || status === 204 || status === 304) {
    res.writeHead(status);
    res.end();
    return;
  }
  const payload = Buffer.from(cjsonEncode(body), 'utf8');
  res.setHeader('Content-Length', String(payload.length));
  res.writeHead(status);
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, ctx: ResponseContext, status: number, headers: Record<string, string> = {}): void {
  sendJson(res, ctx, status, null, headers);
}

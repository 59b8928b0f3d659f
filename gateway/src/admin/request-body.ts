// Reads Admin API request bodies and decodes them the way Kong's Lapis app does: JSON bodies
// (Content-Type application/json), url-encoded forms and multipart forms become parameters;
// every other body is only available raw.

import type { IncomingMessage } from 'node:http';
import { valueLimitProblem } from '../declarative/value-limits.js';
import { decodeUtf8Strict, InvalidUtf8Error } from '../http/utf8.js';
import { AdminHttpError } from './http.js';

/** Kong's Admin API runs with nginx `client_max_body_size 10m`. */
export const ADMIN_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export type DecodedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; fields: Record<string, string> }
  | { kind: 'raw' };

export interface RequestBody {
  raw: Buffer;
  decoded: DecodedBody;
}

/** How long the rest of a refused body is read and dropped before the connection is closed. */
const LINGER_MS = 10_000;

function tooLarge(limit: number): AdminHttpError {
  const mib = limit / (1024 * 1024);
  return new AdminHttpError(413, { message: `request body is larger than ${mib} MiB, the Admin API limit; send a smaller configuration` });
}

/**
 * Reads and drops the rest of a refused body, as nginx's lingering close does: closing at once
 * would reset the connection while the client is still sending, and the client would see the
 * reset instead of the 413. A body that has not ended after LINGER_MS gets its connection closed.
 */
function discardRest(req: IncomingMessage): void {
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}

export function readRequestBody(req: IncomingMessage, limit = ADMIN_BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req);
    return Promise.reject(tooLarge(limit));
  }
  // Events rather than `for await`: leaving that loop early would destroy the socket.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      settle(() => {
        discardRest(req);
        reject(tooLarge(limit));
      });
    };
    req.on('data', onData);
    req.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.once('error', (error) => settle(() => reject(error)));
    req.once('close', () => settle(() => reject(new Error('the client closed the connection before the body ended'))));
  });
}

/** Text of a body or field, refusing bytes that are not UTF-8 (`what` names it in the 400). */
function strictText(bytes: Uint8Array, what: string): string {
  try {
    return decodeUtf8Strict(bytes);
  } catch (error) {
    if (error instanceof InvalidUtf8Error) throw new AdminHttpError(400, { message: `${what}: ${error.message}` });
    throw error;
  }
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** application/x-www-form-urlencoded decoding of one name or value, with strict UTF-8 for `%XX` bytes. */
function decodeFormComponent(text: string, what: string): string {
  const out = Buffer.allocUnsafe(Buffer.byteLength(text, 'utf8'));
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && i + 2 < text.length && isHexDigit(text.charCodeAt(i + 1)) && isHexDigit(text.charCodeAt(i + 2))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (code === 0x2b) {
      out[n++] = 0x20;
    } else if (code < 0x80) {
      out[n++] = code;
    } else {
      const point = text.codePointAt(i)!;
      n += out.write(String.fromCodePoint(point), n, 'utf8');
      if (point > 0xffff) i++;
    }
  }
  return strictText(out.subarray(0, n), what);
}

/** First value of each name, like URLSearchParams but refusing percent-encoded bytes that are not UTF-8. */
function parseForm(raw: Buffer): Record<string, string> {
  // No prototype: a field may be called `__proto__` or `constructor`.
  const fields: Record<string, string> = Object.create(null);
  for (const pair of strictText(raw, 'form body').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeFormComponent(equals === -1 ? pair : pair.slice(0, equals), 'form field name');
    const value = decodeFormComponent(equals === -1 ? '' : pair.slice(equals + 1), `form field '${name}'`);
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of params) if (!Object.hasOwn(out, key)) out[key] = value;
  return out;
}

export function parseQuery(rawQuery: string): Record<string, string> {
  return firstValues(new URLSearchParams(rawQuery));
}

function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** Form fields of a multipart body; a file part (`-F config=@kong.yml`) counts as a field holding the file's text. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = boundaryOf(contentType);
  const fields: Record<string, string> = Object.create(null);
  if (!boundary) return fields;
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const partStart = position + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(content.length - 2).toString() === '\r\n') content = content.subarray(0, content.length - 2);
      const name = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined && !Object.hasOwn(fields, name)) fields[name] = strictText(content, `form field '${name}'`);
    }
    position = next;
  }
  return fields;
}

export function decodeBody(raw: Buffer, contentType: string | undefined): DecodedBody {
  if (raw.length === 0) return { kind: 'empty' };
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/json')) {
    const text = strictText(raw, 'Cannot parse JSON body');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AdminHttpError(400, { message: 'Cannot parse JSON body' });
    }
    const problem = valueLimitProblem(value);
    if (problem !== null) throw new AdminHttpError(400, { message: `Cannot parse JSON body: ${problem}` });
    return { kind: 'json', value };
  }
  if (type.includes('application/x-www-form-urlencoded')) return { kind: 'form', fields: parseForm(raw) };
  if (type.includes('multipart/form-data')) return { kind: 'form', fields: parseMultipart(raw, contentType ?? '') };
  return { kind: 'raw' };
}

export async function readAndDecodeBody(req: IncomingMessage, limit = ADMIN_BODY_LIMIT_BYTES): Promise<RequestBody> {
  const raw = await readRequestBody(req, limit);
  return { raw, decoded: decodeBody(raw, req.headers['content-type']) };
}

// A small undici wrapper for the upstream tests: one call, the whole answer (status, headers, raw body).
import { request } from 'undici';

export interface Reply {
  status: number;
  /** Lower-cased names; repeated headers as arrays (undici's shape). */
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  text: string;
}

export interface SendOptions {
  method?: string;
  /** An object, or a flat [name, value, name, value…] list to send repeated headers. */
  headers?: Record<string, string> | string[];
  body?: string | Buffer;
}

export async function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const res = await request(`${baseUrl}${path}`, {
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers,
    body: options.body,
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers as Reply['headers'], raw, text: raw.toString('utf8') };
}

/** The JSON body, with a type the tests can index freely. */
export function json(reply: Reply): any {
  return JSON.parse(reply.text);
}

/** A multipart/form-data body built by hand, so the tests control every byte. */
export function multipartBody(
  boundary: string,
  parts: Array<{ name: string; value: string | Buffer; filename?: string; contentType?: string }>,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

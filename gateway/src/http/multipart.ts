// multipart/form-data bodies as lua-multipart (Kong's dependency) reads and writes them: parts in
// order, each with its header block and its name from Content-Disposition.

export interface MultipartPart {
  /** The part's name from `Content-Disposition: form-data; name="…"`, or null. */
  name: string | null;
  /** The part's header lines as sent, without the blank line that ends them. */
  headers: string;
  value: Buffer;
  /** Byte range of the part in the body, from its delimiter up to the next one. */
  start: number;
  end: number;
}

export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** The parts of a body; parsing stops at the closing delimiter or at the first malformed part. */
export function parseMultipart(raw: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const nextDelimiter = Buffer.concat([Buffer.from('\r\n'), delimiter]);
  const parts: MultipartPart[] = [];
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (raw[afterDelimiter] === 0x2d && raw[afterDelimiter + 1] === 0x2d) break; // closing delimiter
    const next = raw.indexOf(nextDelimiter, afterDelimiter);
    if (next === -1) break;
    const headersStart = raw.indexOf('\r\n', afterDelimiter) + 2;
    const headersEnd = raw.indexOf('\r\n\r\n', headersStart - 2);
    if (headersStart < 2 || headersEnd === -1 || headersEnd > next) break;
    const headers = raw.subarray(headersStart, Math.max(headersStart, headersEnd)).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*?;\s*name="([^"]*)"/i.exec(headers);
    parts.push({ name: disposition ? disposition[1] : null, headers, value: raw.subarray(headersEnd + 4, next), start: at, end: next + 2 });
    at = next + 2;
  }
  return parts;
}

/** A plain field, as lua-multipart's set_simple adds one. */
export function simplePart(name: string, value: string): MultipartPart {
  return { name, headers: `Content-Disposition: form-data; name="${name}"`, value: Buffer.from(value, 'utf8'), start: -1, end: -1 };
}

/** lua-multipart's tostring: every part behind the boundary, then the closing delimiter. */
export function serializeMultipart(parts: readonly MultipartPart[], boundary: string): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\n${part.headers}\r\n\r\n`, 'utf8'), part.value, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return Buffer.concat(pieces);
}

// multipart/form-data the way Werkzeug 2.2 splits it for httpbin's `form` and `files`:
// parts with a filename are files, the others are fields; CR, LF or CRLF line breaks are all accepted,
// and a body that never reaches its closing boundary parses as empty (Werkzeug's silent mode).

export interface MultipartPart {
  name: string;
  /** Present (possibly empty) when the part's Content-Disposition has a filename. */
  filename?: string;
  contentType?: string;
  body: Buffer;
}

const LINE_BREAK = '(?:\\r\\n|\\n|\\r)';

/** Splits a multipart body; returns undefined where Werkzeug would give up (bad or missing boundary). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
  if (!boundary) return undefined;
  // latin1 maps bytes 1:1 onto code units, so string regexes and offsets work on raw bytes.
  const text = body.toString('latin1');
  const b = escapeRegExp(Buffer.from(boundary, 'utf8').toString('latin1'));
  const preamble = new RegExp(`${LINE_BREAK}?--${b}(--[^\\S\\n\\r]*${LINE_BREAK}?|[^\\S\\n\\r]*${LINE_BREAK})`, 'g');
  const delimiter = new RegExp(`${LINE_BREAK}--${b}(--[^\\S\\n\\r]*${LINE_BREAK}?|[^\\S\\n\\r]*${LINE_BREAK})`, 'g');

  const first = preamble.exec(text);
  if (!first) return undefined;
  if (first[1].startsWith('--')) return [];
  const parts: MultipartPart[] = [];
  let pos = first.index + first[0].length;
  for (;;) {
    const headerEnd = /\r\n\r\n|\r\r|\n\n/g;
    headerEnd.lastIndex = pos;
    const blank = headerEnd.exec(text);
    if (!blank) return undefined;
    const headers = parsePartHeaders(text.slice(pos, blank.index));
    const dataStart = blank.index + blank[0].length;
    delimiter.lastIndex = dataStart;
    const next = delimiter.exec(text);
    if (!next) return undefined;
    const disposition = parseOptionsHeader(headers.get('content-disposition') ?? '');
    const name = disposition.params.get('name');
    if (name === undefined) return undefined; // Werkzeug: "Invalid form-data cannot parse beyond …"
    parts.push({
      name,
      filename: disposition.params.get('filename'),
      contentType: headers.get('content-type'),
      body: body.subarray(dataStart, next.index),
    });
    if (next[1].startsWith('--')) return parts;
    pos = next.index + next[0].length;
  }
}

function parsePartHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  // Continuation lines (a break followed by space or tab) belong to the previous header.
  for (const line of block.replace(/(?:\r\n|\n|\r)[ \t]/g, ' ').split(/\r\n|\n|\r/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Header bytes are UTF-8 in practice (browsers send filenames that way); Werkzeug decodes them so.
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    if (!headers.has(name)) headers.set(name, value);
  }
  return headers;
}

/** Minimal `parse_options_header`: `type; key=value; key="quoted \"value\""`, keys lower-cased. */
export function parseOptionsHeader(value: string): { mimetype: string; params: Map<string, string> } {
  const semi = value.indexOf(';');
  const mimetype = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  for (const m of value.matchAll(re)) {
    const key = m[1].toLowerCase();
    const raw = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2].trim();
    if (!params.has(key)) params.set(key, raw);
  }
  return { mimetype, params };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

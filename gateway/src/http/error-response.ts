// Kong's generated error bodies (kong.response.error and the nginx error pages), byte for byte.
// Format follows Kong's kong/tools/http.lua: pretty JSON with request_id since 3.5, or
// text/html, application/xml, text/plain chosen from the client's Accept header.

export type ErrorMime =
  | 'application/json; charset=utf-8'
  | 'text/html; charset=utf-8'
  | 'text/plain; charset=utf-8'
  | 'application/xml; charset=utf-8';

const JSON_MIME: ErrorMime = 'application/json; charset=utf-8';

const MIME_BY_TYPE: Record<string, ErrorMime> = {
  'text/html': 'text/html; charset=utf-8',
  'application/json': JSON_MIME,
  'text/plain': 'text/plain; charset=utf-8',
  'application/xml': 'application/xml; charset=utf-8',
  application: JSON_MIME,
  text: 'text/plain; charset=utf-8',
};

/** Default messages of kong.response.error when a plugin gives none. */
const DEFAULT_ERROR_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  429: 'Too many requests',
  500: 'An unexpected error occurred',
  502: 'An invalid response was received from the upstream server',
  503: 'The upstream server is currently unavailable',
  504: 'The upstream server is timing out',
};

export function defaultErrorMessage(status: number): string {
  return DEFAULT_ERROR_MESSAGES[status] ?? `The upstream server responded with ${status}`;
}

/** Kong's get_mime_type: a single media type (parameters dropped), `x/*` by its top type. */
export function mimeTypeOf(mediaType: string): ErrorMime {
  const bare = (mediaType.trim().split(';')[0] ?? '').trim().toLowerCase();
  const [top, sub] = bare.split('/');
  if (sub === undefined) return JSON_MIME;
  if (sub === '*') return top === '*' ? JSON_MIME : (MIME_BY_TYPE[top] ?? JSON_MIME);
  return MIME_BY_TYPE[bare] ?? JSON_MIME;
}

const ACCEPT_ENTRY =
  /^((?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*)\/(?:[a-z0-9][a-z0-9\-!#$&^_+.]+|\*))(?:\s*;\s*q=(1(?:\.0{0,3})?|0(?:\.\d{0,3})?)|\s*;\s*[a-z0-9][a-z0-9\-!#$&^_+.]+(?:=[^;]*)?)*$/i;

/** Kong's get_response_type: the Accept entry with the highest q decides (first one wins a tie). */
export function responseTypeFromAccept(accept: string | string[] | undefined): ErrorMime {
  if (accept === undefined) return JSON_MIME;
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  let best = JSON_MIME;
  let bestQuality = 0;
  for (const entry of header.split(',')) {
    const match = ACCEPT_ENTRY.exec(entry.trim());
    if (!match) continue;
    const quality = match[2] === undefined ? 1 : Number(match[2]);
    if (quality > bestQuality) {
      bestQuality = quality;
      best = mimeTypeOf(match[1]);
    }
  }
  return best;
}

export function renderErrorBody(mime: ErrorMime, message: string, requestId: string): string {
  switch (mime) {
    case 'text/html; charset=utf-8':
      return (
        '<!doctype html>\n<html>\n  <head>\n    <meta charset="utf-8">\n    <title>Error</title>\n  </head>\n' +
        `  <body>\n    <h1>Error</h1>\n    <p>${message}.</p>\n    <p>request_id: ${requestId}</p>\n  </body>\n</html>\n`
      );
    case 'text/plain; charset=utf-8':
      return `${message}\nrequest_id: ${requestId}\n`;
    case 'application/xml; charset=utf-8':
      return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<error>\n' +
        `  <message>${message}</message>\n  <requestid>${requestId}</requestid>\n</error>\n`
      );
    default:
      // No JSON escaping of the message: Kong formats the template with %s.
      return `{\n  "message":"${message}",\n  "request_id":"${requestId}"\n}`;
  }
}

// Responses the way Flask/Werkzeug 2.2 build them for httpbin 0.7.0: jsonify bodies, the plain
// make_response() used by /status, and Werkzeug's HTML error and redirect pages, byte for byte.
import { flaskJsonBody, pythonJsonDumpsDefault, type PyValue } from './python-json.js';

export interface HttpbinResponse {
  status: number;
  /**
   * Headers in the order the real server sends them. When Content-Length is not listed, the server
   * appends it after the CORS headers, which is where Werkzeug puts a length it computed itself.
   */
  headers: Array<[string, string]>;
  body: Buffer;
}

const HTML = 'text/html; charset=utf-8';

/** Werkzeug's HTTP_STATUS_CODES, upper-cased the way it writes the status line. */
const REASONS: Record<number, string> = {
  100: 'CONTINUE', 101: 'SWITCHING PROTOCOLS', 102: 'PROCESSING', 103: 'EARLY HINTS',
  200: 'OK', 201: 'CREATED', 202: 'ACCEPTED', 203: 'NON AUTHORITATIVE INFORMATION', 204: 'NO CONTENT',
  205: 'RESET CONTENT', 206: 'PARTIAL CONTENT', 207: 'MULTI STATUS', 208: 'ALREADY REPORTED', 226: 'IM USED',
  300: 'MULTIPLE CHOICES', 301: 'MOVED PERMANENTLY', 302: 'FOUND', 303: 'SEE OTHER', 304: 'NOT MODIFIED',
  305: 'USE PROXY', 306: 'SWITCH PROXY', 307: 'TEMPORARY REDIRECT', 308: 'PERMANENT REDIRECT',
  400: 'BAD REQUEST', 401: 'UNAUTHORIZED', 402: 'PAYMENT REQUIRED', 403: 'FORBIDDEN', 404: 'NOT FOUND',
  405: 'METHOD NOT ALLOWED', 406: 'NOT ACCEPTABLE', 407: 'PROXY AUTHENTICATION REQUIRED', 408: 'REQUEST TIMEOUT',
  409: 'CONFLICT', 410: 'GONE', 411: 'LENGTH REQUIRED', 412: 'PRECONDITION FAILED', 413: 'REQUEST ENTITY TOO LARGE',
  414: 'REQUEST URI TOO LONG', 415: 'UNSUPPORTED MEDIA TYPE', 416: 'REQUESTED RANGE NOT SATISFIABLE',
  417: 'EXPECTATION FAILED', 418: "I'M A TEAPOT", 421: 'MISDIRECTED REQUEST', 422: 'UNPROCESSABLE ENTITY',
  423: 'LOCKED', 424: 'FAILED DEPENDENCY', 425: 'TOO EARLY', 426: 'UPGRADE REQUIRED', 428: 'PRECONDITION REQUIRED',
  429: 'TOO MANY REQUESTS', 431: 'REQUEST HEADER FIELDS TOO LARGE', 449: 'RETRY WITH',
  451: 'UNAVAILABLE FOR LEGAL REASONS', 500: 'INTERNAL SERVER ERROR', 501: 'NOT IMPLEMENTED', 502: 'BAD GATEWAY',
  503: 'SERVICE UNAVAILABLE', 504: 'GATEWAY TIMEOUT', 505: 'HTTP VERSION NOT SUPPORTED',
  506: 'VARIANT ALSO NEGOTIATES', 507: 'INSUFFICIENT STORAGE', 508: 'LOOP DETECTED', 510: 'NOT EXTENDED',
  511: 'NETWORK AUTHENTICATION FAILED',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'UNKNOWN';
}

/** httpbin's jsonify(): compact sorted JSON with a trailing newline. */
export function jsonResponse(value: PyValue, status = 200): HttpbinResponse {
  const body = Buffer.from(flaskJsonBody(value), 'latin1'); // ensure_ascii output is pure ASCII
  return { status, headers: [['Content-Type', 'application/json'], ['Content-Length', String(body.length)]], body };
}

/** A view returning a str: Flask makes it text/html. */
export function htmlTextResponse(text: string, status = 200): HttpbinResponse {
  const body = Buffer.from(text, 'utf8');
  return { status, headers: [['Content-Type', HTML], ['Content-Length', String(body.length)]], body };
}

/** `Response('…', status=400)` as /status uses for a bad code. */
export function plainTextResponse(text: string, status: number): HttpbinResponse {
  const body = Buffer.from(text, 'utf8');
  return { status, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', String(body.length)]], body };
}

/** `make_response()` with raw bytes, as /bytes builds it. */
export function bytesResponse(body: Buffer, contentType: string): HttpbinResponse {
  return { status: 200, headers: [['Content-Type', contentType], ['Content-Length', String(body.length)]], body };
}

const TEAPOT = `
    -=[ teapot ]=-

       _...._
     .'  _ _ \`.
    | ."\` ^ \`". _,
    \\_;\`"---"\`|//
      |       ;/
      \\_     _/
        \`"""\`
`;

const ACCEPTED_MEDIA_TYPES = ['image/webp', 'image/svg+xml', 'image/jpeg', 'image/png', 'image/*'];

/** httpbin.helpers.status_code(): an empty response, or one of its canned bodies and headers. */
export function statusCodeResponse(code: number): HttpbinResponse {
  const text = (data: string, headers: Array<[string, string]>): HttpbinResponse => ({ status: code, headers, body: Buffer.from(data, 'utf8') });
  const redirect: Array<[string, string]> = [['location', '/redirect/1']];
  switch (code) {
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
      // `r.headers = {...}` replaces the whole header set, so these responses have no Content-Type.
      return text('', redirect);
    case 304:
      return text('', []); // Werkzeug strips entity headers from a 304
    case 401:
      return text('', [['WWW-Authenticate', 'Basic realm="Fake Realm"']]);
    case 402:
      return text('Fuck you, pay me!', [['x-more-info', 'http://vimeo.com/22053820']]);
    case 406:
      return text(
        pythonJsonDumpsDefault({ message: 'Client did not request a supported media type.', accept: ACCEPTED_MEDIA_TYPES }),
        [['Content-Type', 'application/json']],
      );
    case 407:
      // gunicorn drops hop-by-hop headers such as Proxy-Authenticate from the app's answer.
      return text('', []);
    case 418:
      return text(TEAPOT, [['x-more-info', 'http://tools.ietf.org/html/rfc2324']]);
    default:
      return text('', [['Content-Type', HTML]]);
  }
}

function werkzeugErrorPage(status: number, title: string, description: string, extra: Array<[string, string]> = []): HttpbinResponse {
  const body = Buffer.from(
    `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`,
    'utf8',
  );
  return { status, headers: [['Content-Type', HTML], ...extra, ['Content-Length', String(body.length)]], body };
}

export function notFound(): HttpbinResponse {
  return werkzeugErrorPage(
    404,
    'Not Found',
    'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  );
}

export function methodNotAllowed(allowed: string[]): HttpbinResponse {
  return werkzeugErrorPage(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', [['Allow', allowed.join(', ')]]);
}

export function internalServerError(): HttpbinResponse {
  return werkzeugErrorPage(
    500,
    'Internal Server Error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  );
}

/** Flask's automatic OPTIONS answer. */
export function optionsResponse(allowed: string[]): HttpbinResponse {
  return { status: 200, headers: [['Content-Type', HTML], ['Allow', allowed.join(', ')]], body: Buffer.alloc(0) };
}

/** Werkzeug's redirect() page, used for the 308 that merges doubled slashes. */
export function permanentRedirect(location: string): HttpbinResponse {
  const shown = escapeHtml(location);
  const body = Buffer.from(
    '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
      `<p>You should be redirected automatically to the target URL: <a href="${shown}">${shown}</a>. If not, click the link.\n`,
    'utf8',
  );
  return {
    status: 308,
    headers: [['Content-Type', HTML], ['Content-Length', String(body.length)], ['Location', location]],
    body,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

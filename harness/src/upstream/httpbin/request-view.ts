// What httpbin 0.7.0 sees of a request once gunicorn 20.1 and Werkzeug 2.2 have handled it, and the
// dictionaries it echoes (`get_dict`). The gunicorn/Werkzeug steps matter for the echo:
// - repeated headers are joined with "," (no space); "X_Foo" and "X-Foo" are the same header;
// - names are shown Title-Cased by Python's str.title() ("apikey" → "Apikey", "x-b3-id" → "X-B3-Id");
// - proxy headers (X-Forwarded-For, Via, X-Real-Ip, …) are hidden unless the query has `show_env`;
// - `origin` is the raw X-Forwarded-For value when present, else the peer address;
// - the scheme in `url` follows X-Forwarded-Proto / X-Forwarded-Protocol / X-Forwarded-Ssl.
import type { IncomingMessage } from 'node:http';
import { parseMultipart, parseOptionsHeader } from './multipart.js';
import { PythonJsonError, pythonJsonLoads, type PyValue } from './python-json.js';
import {
  decodeRequestPath,
  decodeUtf8Replace,
  decodeUtf8Strict,
  parseQueryPairs,
  semiflatten,
  werkzeugHost,
  werkzeugRequestUrl,
} from './werkzeug-urls.js';

// httpbin.helpers.ENV_HEADERS, as Werkzeug spells them.
const ENV_HEADERS = new Set([
  'X-Varnish',
  'X-Request-Start',
  'X-Heroku-Queue-Depth',
  'X-Real-Ip',
  'X-Forwarded-Proto',
  'X-Forwarded-Protocol',
  'X-Forwarded-Ssl',
  'X-Heroku-Queue-Wait-Time',
  'X-Forwarded-For',
  'X-Heroku-Dynos-In-Use',
  'X-Forwarded-Port',
  'X-Request-Id',
  'Via',
  'Total-Route-Time',
  'Connect-Time',
]);

// gunicorn's default forwarded_allow_ips: only a local proxy may set the scheme by header.
const TRUSTED_PROXY_ADDRESSES = new Set(['127.0.0.1']);

// gunicorn's secure_scheme_headers: header → value meaning https (any other value means http).
const SECURE_SCHEME_HEADERS: Record<string, string> = {
  'X-FORWARDED-PROTOCOL': 'ssl',
  'X-FORWARDED-PROTO': 'https',
  'X-FORWARDED-SSL': 'on',
};

/** gunicorn answers 400 itself when two scheme headers disagree. */
export class ContradictorySchemeHeaders extends Error {}

export type GetDictKey = 'url' | 'args' | 'form' | 'data' | 'origin' | 'headers' | 'files' | 'json' | 'method';

export class HttpbinRequest {
  readonly method: string;
  /** Percent-decoded path, as Werkzeug routes it. */
  readonly path: string;
  /** The query string exactly as received (latin-1 text of the request bytes). */
  readonly rawQuery: string;
  /** gunicorn's wsgi.url_scheme (after trusted scheme headers). */
  readonly scheme: 'http' | 'https';
  /** Werkzeug's request.host (the scheme's default port removed). */
  readonly host: string;
  readonly remoteAddr: string;
  readonly body: Buffer;
  readonly argPairs: Array<[string, string]>;
  // gunicorn's environ: HTTP_* keys without the prefix, plus CONTENT_TYPE / CONTENT_LENGTH.
  private readonly environ = new Map<string, string>();
  private contentType: string | undefined;
  private contentLength: string | undefined;
  private parsedBody?: { form: Array<[string, string]>; files: Map<string, string>; data: Buffer };

  constructor(req: IncomingMessage, body: Buffer) {
    this.method = req.method ?? 'GET';
    this.body = body;
    this.remoteAddr = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

    let trustedScheme: 'http' | 'https' | undefined;
    const trustSchemeHeaders = TRUSTED_PROXY_ADDRESSES.has(this.remoteAddr);
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i].toUpperCase();
      const value = raw[i + 1];
      if (trustSchemeHeaders && name in SECURE_SCHEME_HEADERS) {
        const scheme = value === SECURE_SCHEME_HEADERS[name] ? 'https' : 'http';
        if (trustedScheme !== undefined && trustedScheme !== scheme) throw new ContradictorySchemeHeaders();
        trustedScheme = scheme;
      }
      if (name === 'CONTENT-TYPE') this.contentType = value;
      else if (name === 'CONTENT-LENGTH') this.contentLength = value;
      else {
        const key = name.replace(/-/g, '_');
        const prev = this.environ.get(key);
        this.environ.set(key, prev === undefined ? value : `${prev},${value}`);
      }
    }
    this.scheme = trustedScheme ?? 'http';

    const target = req.url ?? '/';
    // An absolute-form target ("GET http://host/path") routes on its path, like gunicorn.
    const pathAndQuery = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target.replace(/^[^:]+:\/\/[^/?#]*/, '') || '/' : target;
    const withoutFragment = pathAndQuery.split('#')[0];
    const q = withoutFragment.indexOf('?');
    const rawPath = q === -1 ? withoutFragment : withoutFragment.slice(0, q);
    this.rawQuery = q === -1 ? '' : withoutFragment.slice(q + 1);
    this.path = decodeRequestPath(rawPath);
    const local = `${req.socket.localAddress?.replace(/^::ffff:/, '')}:${req.socket.localPort}`;
    this.host = werkzeugHost(this.scheme, this.environ.get('HOST'), local);
    this.argPairs = parseQueryPairs(Buffer.from(this.rawQuery, 'latin1'));
  }

  /** `request.headers.get(name)`: case-insensitive, "-" and "_" alike, repeated values joined. */
  header(name: string): string | undefined {
    const key = name.toUpperCase().replace(/-/g, '_');
    if (key === 'CONTENT_TYPE') return this.contentType || undefined;
    if (key === 'CONTENT_LENGTH') return this.contentLength || undefined;
    return this.environ.get(key);
  }

  /** True when the query string has the key (httpbin only checks presence, e.g. `show_env`). */
  hasArg(key: string): boolean {
    return this.argPairs.some(([k]) => k === key);
  }

  /** httpbin's `CaseInsensitiveDict(request.args.items())[key]`: first value of the first key matching case-insensitively. */
  argCaseInsensitive(key: string): string | undefined {
    const seen = new Set<string>();
    for (const [k, v] of this.argPairs) {
      if (seen.has(k)) continue;
      seen.add(k);
      if (k.toLowerCase() === key.toLowerCase()) return v;
    }
    return undefined;
  }

  /** httpbin's get_headers(): Werkzeug's Title-Cased view minus proxy headers unless `show_env` is given. */
  headers(): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [key, value] of this.environ) out[pythonTitle(key.replace(/_/g, '-'))] = value;
    if (this.contentType) out['Content-Type'] = this.contentType;
    if (this.contentLength) out['Content-Length'] = this.contentLength;
    if (!this.hasArg('show_env')) for (const name of ENV_HEADERS) delete out[name];
    return out;
  }

  origin(): string {
    return this.header('X-Forwarded-For') ?? this.remoteAddr;
  }

  /** httpbin's get_url(): Werkzeug's request.url with the scheme a proxy header announces. */
  url(): string {
    const url = werkzeugRequestUrl(this.scheme, this.host, this.path, this.rawQuery);
    let protocol = this.header('X-Forwarded-Proto') || this.header('X-Forwarded-Protocol');
    if (!protocol && this.header('X-Forwarded-Ssl') === 'on') protocol = 'https';
    return protocol ? `${protocol}${url.slice(url.indexOf(':'))}` : url;
  }

  /** httpbin's get_dict(*keys): the echo object; key order does not matter, the JSON is sorted. */
  getDict(keys: GetDictKey[], extras: Record<string, PyValue> = {}): Record<string, PyValue> {
    const out: Record<string, PyValue> = {};
    for (const key of keys) out[key] = this.dictValue(key);
    return Object.assign(out, extras);
  }

  private dictValue(key: GetDictKey): PyValue {
    switch (key) {
      case 'url':
        return this.url();
      case 'args':
        return semiflatten(this.argPairs);
      case 'form':
        return semiflatten(this.parseBody().form);
      case 'data':
        return jsonSafe(this.parseBody().data, 'application/octet-stream');
      case 'origin':
        return this.origin();
      case 'headers':
        return this.headers();
      case 'files':
        return Object.fromEntries(this.parseBody().files);
      case 'json':
        return parseJsonOrNull(this.parseBody().data);
      case 'method':
        return this.method;
    }
  }

  // Werkzeug parses urlencoded and multipart bodies into form/files and leaves `data` empty;
  // any other body is left as raw `data`.
  private parseBody() {
    if (this.parsedBody) return this.parsedBody;
    const { mimetype, params } = parseOptionsHeader(this.contentType ?? '');
    const empty = Buffer.alloc(0);
    if (this.contentType && mimetype === 'application/x-www-form-urlencoded') {
      this.parsedBody = { form: parseQueryPairs(this.body), files: new Map(), data: empty };
    } else if (this.contentType && mimetype === 'multipart/form-data') {
      const form: Array<[string, string]> = [];
      const files = new Map<string, string>();
      for (const part of parseMultipart(this.body, params.get('boundary') ?? '') ?? []) {
        if (part.filename !== undefined) {
          // request.files.items() yields the first file per field name only.
          if (!files.has(part.name)) files.set(part.name, jsonSafe(part.body, part.contentType || 'application/octet-stream'));
        } else {
          form.push([part.name, decodeField(part.body, part.contentType)]);
        }
      }
      this.parsedBody = { form, files, data: empty };
    } else {
      this.parsedBody = { form: [], files: new Map(), data: this.body };
    }
    return this.parsedBody;
  }
}

/** Python's str.title() on an ASCII header name: a letter is upper-case after a non-letter, else lower-case. */
export function pythonTitle(name: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of name) {
    const cased = /[A-Za-z]/.test(ch);
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

/** httpbin's json_safe(): UTF-8 text as is, anything else as a base64 data: URL. */
function jsonSafe(bytes: Buffer, contentType: string): string {
  const text = decodeUtf8Strict(bytes);
  return text !== undefined ? text : `data:${contentType};base64,${bytes.toString('base64')}`;
}

function parseJsonOrNull(data: Buffer): PyValue {
  const text = decodeUtf8Strict(data);
  if (text === undefined) return null;
  try {
    return pythonJsonLoads(text);
  } catch (err) {
    if (err instanceof PythonJsonError) return null;
    throw err;
  }
}

function decodeField(body: Buffer, contentType: string | undefined): string {
  const charset = contentType ? parseOptionsHeader(contentType).params.get('charset') : undefined;
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset, { fatal: false, ignoreBOM: true }).decode(body);
    } catch {
      // Unknown charset label: Werkzeug would fail the same way; fall back to UTF-8.
    }
  }
  return decodeUtf8Replace(body);
}

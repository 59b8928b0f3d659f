// httpbin 0.7.0's endpoints that the labs use, with Werkzeug's routing rules: methods per rule
// (GET rules also answer HEAD; every rule answers OPTIONS), 405 with an Allow list, 404 otherwise,
// leading slashes ignored, and a 308 to the merged path when a static part has doubled slashes.
import { randomUUID } from 'node:crypto';
import type { PythonRandom } from './python-random.js';
import { pythonFloat, pythonInt, pythonUrlsafeB64decode } from './python-parsing.js';
import type { HttpbinRequest } from './request-view.js';
import {
  bytesResponse,
  htmlTextResponse,
  jsonResponse,
  methodNotAllowed,
  notFound,
  optionsResponse,
  permanentRedirect,
  plainTextResponse,
  statusCodeResponse,
  type HttpbinResponse,
} from './responses.js';
import { flaskJsonBody, type PyValue } from './python-json.js';
import { decodeUtf8Strict, urlQuote } from './werkzeug-urls.js';

/** Raised by a handler for what Python would raise: the server answers Werkzeug's 500 page. */
export class HttpbinInternalError extends Error {}

/** Raised by /status for a code no HTTP client can read (gunicorn writes a broken status line). */
export class UnsendableStatus extends Error {}

export interface RouteContext {
  /** httpbin's module-level `random`, shared by all requests of one server. */
  random: PythonRandom;
  /** Waits like time.sleep, but gives up when the client goes away or the server closes. */
  sleep(ms: number): Promise<void>;
}

type Handler = (req: HttpbinRequest, params: string[], ctx: RouteContext) => HttpbinResponse | Promise<HttpbinResponse>;

// Werkzeug's converters: <name> (one segment), <int:name> (digits), <path:name> (the rest, slashes included).
const CONVERTER_RE = { string: '([^/]+)', int: '(\\d+)', path: '([^/].*?)' } as const;
type Param = { param: keyof typeof CONVERTER_RE };
const STRING: Param = { param: 'string' };
const INT: Param = { param: 'int' };
const PATH: Param = { param: 'path' };

interface Rule {
  parts: Array<string | Param>;
  methods: string[];
  handler: Handler;
}

const ECHO_KEYS = ['url', 'args', 'form', 'data', 'origin', 'headers', 'files', 'json'] as const;
const BODY_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE'];

/** httpbin's /json document (the bench's upstream payload is built from it too). */
export const SLIDESHOW: { readonly [key: string]: PyValue } = {
  slideshow: {
    author: 'Yours Truly',
    date: 'date of publication',
    slides: [
      { title: 'Wake up to WonderWidgets!', type: 'all' },
      { items: ['Why <em>WonderWidgets</em> are great', 'Who <em>buys</em> WonderWidgets'], title: 'Overview', type: 'all' },
    ],
    title: 'Sample Slide Show',
  },
};

const anything: Handler = (req) =>
  jsonResponse(req.getDict(['url', 'args', 'headers', 'origin', 'method', 'form', 'data', 'files', 'json']));

const RULES: Rule[] = [
  { parts: ['ip'], methods: ['GET'], handler: (req) => jsonResponse({ origin: req.origin() }) },
  { parts: ['uuid'], methods: ['GET'], handler: () => jsonResponse({ uuid: randomUUID() }) },
  { parts: ['headers'], methods: ['GET'], handler: (req) => jsonResponse(req.getDict(['headers'])) },
  {
    parts: ['user-agent'],
    methods: ['GET'],
    handler: (req) => {
      const headers = req.headers();
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'user-agent');
      return jsonResponse({ 'user-agent': key === undefined ? null : headers[key] });
    },
  },
  { parts: ['get'], methods: ['GET'], handler: (req) => jsonResponse(req.getDict(['url', 'args', 'headers', 'origin'])) },
  { parts: ['anything'], methods: BODY_METHODS, handler: anything },
  { parts: ['anything', PATH], methods: BODY_METHODS, handler: anything },
  ...(['post', 'put', 'patch', 'delete'] as const).map(
    (name): Rule => ({ parts: [name], methods: [name.toUpperCase()], handler: (req) => jsonResponse(req.getDict([...ECHO_KEYS])) }),
  ),
  { parts: ['status', STRING], methods: BODY_METHODS, handler: (_req, [codes], ctx) => viewStatusCode(codes, ctx) },
  { parts: ['response-headers'], methods: ['GET', 'POST'], handler: (req) => responseHeaders(req) },
  {
    parts: ['delay', STRING],
    methods: ['GET'],
    handler: async (req, [value], ctx) => {
      const seconds = pythonFloat(value);
      // float() failing, and sleeping NaN seconds, are errors in httpbin; negatives return at once.
      if (seconds === undefined || Number.isNaN(seconds)) throw new HttpbinInternalError(`bad delay ${value}`);
      await ctx.sleep(Math.max(0, Math.min(seconds, 10)) * 1000);
      return jsonResponse(req.getDict(['url', 'args', 'form', 'data', 'origin', 'headers', 'files']));
    },
  },
  { parts: ['bytes', INT], methods: ['GET'], handler: (req, [n], ctx) => randomBytesView(req, Number(n), ctx) },
  {
    parts: ['base64', STRING],
    methods: ['GET'],
    handler: (_req, [value]) => {
      const decoded = pythonUrlsafeB64decode(value);
      const text = decoded && decodeUtf8Strict(decoded);
      if (text === undefined) throw new HttpbinInternalError('not base64-encoded UTF-8');
      return htmlTextResponse(text);
    },
  },
  // Not in Debian's httpbin 0.7.0 (it answers 404); httpbin 0.9's fixed document, for labs that show /json.
  { parts: ['json'], methods: ['GET'], handler: () => jsonResponse(SLIDESHOW) },
];

/** Werkzeug's method set for a rule: GET implies HEAD, and Flask adds OPTIONS. */
function ruleMethods(rule: Rule): string[] {
  const set = new Set(rule.methods);
  if (set.has('GET')) set.add('HEAD');
  set.add('OPTIONS');
  return [...set];
}

interface RuleMatch {
  rule: Rule;
  params: string[];
  canonicalPath: string;
}

// Fixed parts match across doubled slashes so that such paths can be redirected, as with merge_slashes.
const COMPILED = RULES.map((rule) => ({
  rule,
  re: new RegExp(`^/+${rule.parts.map((p) => (typeof p === 'string' ? escapeRe(p) : CONVERTER_RE[p.param])).join('/+')}$`, 's'),
}));

function matchRule({ rule, re }: (typeof COMPILED)[number], path: string): RuleMatch | undefined {
  const m = re.exec(path);
  if (!m) return undefined;
  const params = m.slice(1);
  let i = 0;
  const canonicalPath = `/${rule.parts.map((p) => (typeof p === 'string' ? p : params[i++])).join('/')}`;
  return { rule, params, canonicalPath };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Routes one request to its httpbin answer (everything but the CORS headers the server adds). */
export async function dispatch(req: HttpbinRequest, ctx: RouteContext): Promise<HttpbinResponse> {
  // Werkzeug matches on the path with its leading slashes collapsed to one.
  const path = `/${req.path.replace(/^\/+/, '')}`;
  const matches = COMPILED.map((compiled) => matchRule(compiled, path)).filter((m): m is RuleMatch => m !== undefined);
  if (matches.length === 0) return notFound();
  const allowed = [...new Set(matches.flatMap((m) => ruleMethods(m.rule)))];
  const hit = matches.find((m) => ruleMethods(m.rule).includes(req.method));
  if (!hit) return methodNotAllowed(allowed);
  if (hit.canonicalPath !== path) {
    const location = `${req.scheme}://${req.host.toLowerCase()}/${urlQuote(hit.canonicalPath, '/:|+').replace(/^\/+/, '')}`;
    return permanentRedirect(req.rawQuery ? `${location}?${req.rawQuery}` : location);
  }
  if (req.method === 'OPTIONS') return optionsResponse(allowed);
  return hit.rule.handler(req, hit.params, ctx);
}

/** /status/<codes>: one code, or a comma-separated weighted random choice ("200:3,500:1"). */
function viewStatusCode(codes: string, ctx: RouteContext): HttpbinResponse {
  const invalid = () => plainTextResponse('Invalid status code', 400);
  let code: bigint | undefined;
  if (!codes.includes(',')) {
    code = pythonInt(codes);
    if (code === undefined) return invalid();
  } else {
    const choices: Array<[bigint, number]> = [];
    for (const choice of codes.split(',')) {
      const pieces = choice.split(':');
      // `code, weight = choice.split(':')` raises outside httpbin's try when there are two colons.
      if (pieces.length > 2) throw new HttpbinInternalError('too many values to unpack');
      const c = pythonInt(pieces[0]);
      const w = pieces.length === 2 ? pythonFloat(pieces[1]) : 1;
      if (c === undefined || w === undefined) return invalid();
      choices.push([c, w]);
    }
    code = weightedChoice(choices, ctx.random);
  }
  // gunicorn writes any integer into the status line; outside 200..999 no client can use the answer
  // (a 1xx leaves it waiting for a final response), so the connection is dropped instead.
  if (code < 200n || code > 999n) throw new UnsendableStatus(`status ${code}`);
  return statusCodeResponse(Number(code));
}

// httpbin.utils.weighted_choice: uniform(0, total) bisected into the cumulative weights.
function weightedChoice(choices: Array<[bigint, number]>, random: PythonRandom): bigint {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of choices) cumulative.push((total += w));
  const x = random.uniform(0, total);
  const i = cumulative.findIndex((c) => c > x); // bisect.bisect (bisect_right)
  if (i === -1) throw new HttpbinInternalError('weighted choice out of range');
  return choices[i][0];
}

/**
 * /response-headers: every query pair becomes a response header, and the JSON body lists the final
 * header set, including its own Content-Length, recomputed until the length is stable (as httpbin does).
 */
function responseHeaders(req: HttpbinRequest): HttpbinResponse {
  const lists = new Map<string, string[]>();
  for (const [k, v] of req.argPairs) lists.set(k, [...(lists.get(k) ?? []), v]);
  // MultiDict.items(multi=True) groups the values of a key together, in first-seen key order.
  const query = [...lists].flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));
  let body = flaskJsonBody([...lists].map(([k, vs]) => [k, vs]));
  let headers: Array<[string, string]> = [
    ['Content-Type', 'application/json'],
    ['Content-Length', String(Buffer.byteLength(body))],
  ];
  for (;;) {
    const original = body;
    const folded: Record<string, PyValue> = {};
    for (const [key] of headers) {
      if (key in folded) continue;
      const values = headers.filter(([k]) => k.toLowerCase() === key.toLowerCase()).map(([, v]) => v);
      folded[key] = values.length === 1 ? values[0] : values;
    }
    body = flaskJsonBody(folded);
    headers = [['Content-Type', 'application/json'], ['Content-Length', String(Buffer.byteLength(body))], ...query];
    if (body === original) break;
  }
  // A second Content-Length from the query would make the message unreadable; it stays in the body only.
  const wire = headers.filter(([k], i) => i < 2 || k.toLowerCase() !== 'content-length');
  return { status: 200, headers: wire, body: Buffer.from(body, 'latin1') };
}

/** /bytes/<n>: n (at most 100 KiB) bytes from httpbin's `random`, reseeded by `?seed=`. */
function randomBytesView(req: HttpbinRequest, requested: number, ctx: RouteContext): HttpbinResponse {
  const n = Math.min(requested, 100 * 1024);
  const seedText = req.argCaseInsensitive('seed');
  if (seedText !== undefined) {
    const seed = pythonInt(seedText);
    if (seed === undefined) throw new HttpbinInternalError('seed is not an integer');
    ctx.random.seed(seed);
  }
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = ctx.random.randomByte();
  return bytesResponse(out, 'application/octet-stream');
}

// key-auth (Kong PRIORITY 1250): finds an API key in a header, the query string or the body,
// maps it to a consumer and tells the upstream who called. Mirrors Kong 3.11's do_authentication,
// including Lua's view of values: a repeated name is a table (→ duplicate), a query flag without
// `=` is boolean true (→ ignored), and so on. Keys never reach a log line or an error message.

import { authenticateAnonymous, authenticateConsumer } from '../authenticated-consumer.js';
import { MAX_ARGS, parseArgs, removeArg, type ArgValue } from '../../http/ngx-args.js';
import { multipartBoundary, parseMultipart } from '../../http/multipart.js';
import { BUNDLED_VERSION, KongExit } from '../types.js';
import type { KeyAuthConfig, Plugin, PluginContext, PluginHandler, PluginHandlerModule } from '../types.js';

export const PRIORITY = 1250;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

// ---------------------------------------------------------------------------------------------
// Lua-typed lookups
// ---------------------------------------------------------------------------------------------

/** A parsed request body: `field` answers like the Lua table kong.request.get_body() returns. */
interface ParsedBody {
  field(name: string): unknown;
  /** The body re-encoded without `name`, or null when it has no such field. */
  without(name: string): Buffer | null;
}

const EMPTY_BODY: ParsedBody = { field: () => undefined, without: () => null };

/**
 * The header as ngx.req.get_headers() returns it: keys lowercased; a lookup first tries the name as
 * given, then lowercased with `_` turned into `-` (the table's __index). Repeated → table.
 */
function headerValue(rawHeaders: readonly string[], name: string): ArgValue | undefined {
  const limit = Math.min(rawHeaders.length, MAX_ARGS * 2);
  // rawget(t, name) only hits when the configured name is already lowercase; __index does the rest.
  return collectHeader(rawHeaders, limit, name) ?? collectHeader(rawHeaders, limit, name.toLowerCase().replace(/_/g, '-'));
}

function collectHeader(rawHeaders: readonly string[], limit: number, lowerName: string): ArgValue | undefined {
  let first: string | undefined;
  let all: string[] | undefined;
  for (let i = 0; i + 1 < limit; i += 2) {
    const header = rawHeaders[i];
    if (header.length !== lowerName.length || header.toLowerCase() !== lowerName) continue;
    if (first === undefined) first = rawHeaders[i + 1];
    else (all ??= [first]).push(rawHeaders[i + 1]);
  }
  return all ?? first;
}

// ---------------------------------------------------------------------------------------------
// Bodies (kong.request.get_body: form-urlencoded, JSON, multipart; anything else → no fields)
// ---------------------------------------------------------------------------------------------

function parseFormBody(raw: Buffer): ParsedBody {
  const text = raw.toString('utf8');
  const args = parseArgs(text);
  return {
    field: (name) => args.get(name),
    without: (name) => {
      const rest = removeArg(text, name);
      return rest === null ? null : Buffer.from(rest, 'utf8');
    },
  };
}

function parseJsonBody(raw: Buffer): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return EMPTY_BODY;
  }
  // A top-level array is a Lua table too, but has no string keys to find a key name in.
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return EMPTY_BODY;
  const object = json as Record<string, unknown>;
  return {
    field: (name) => (Object.hasOwn(object, name) ? object[name] : undefined),
    without: (name) => {
      if (!Object.hasOwn(object, name)) return null;
      const { [name]: _removed, ...rest } = object;
      return Buffer.from(JSON.stringify(rest), 'utf8');
    },
  };
}

/** Parts of a multipart/form-data body; a field sent more than once becomes an array, like lua-multipart's get_all_with_arrays. */
function parseMultipartBody(raw: Buffer, contentType: string): ParsedBody {
  const boundary = multipartBoundary(contentType);
  if (boundary === null) return EMPTY_BODY;
  const parts = parseMultipart(raw, boundary).map((part) => ({ ...part, value: part.value.toString('utf8') }));
  const fields = new Map<string, string | string[]>();
  for (const part of parts) {
    if (part.name === null) continue;
    const previous = fields.get(part.name);
    if (previous === undefined) fields.set(part.name, part.value);
    else if (Array.isArray(previous)) previous.push(part.value);
    else fields.set(part.name, [previous, part.value]);
  }
  return {
    field: (name) => fields.get(name),
    without: (name) => {
      const removed = parts.filter((part) => part.name === name);
      if (removed.length === 0) return null;
      const pieces: Buffer[] = [];
      let from = 0;
      for (const part of removed) {
        pieces.push(raw.subarray(from, part.start));
        from = part.end;
      }
      pieces.push(raw.subarray(from));
      return Buffer.concat(pieces);
    },
  };
}

async function readParsedBody(ctx: PluginContext): Promise<ParsedBody> {
  const header = ctx.request.headers['content-type'];
  const contentType = Array.isArray(header) ? header[0] : header;
  if (!contentType) return EMPTY_BODY;
  let raw: Buffer;
  try {
    raw = await ctx.request.readBody();
  } catch {
    // Kong logs "Cannot process request body" and carries on as if the body had no fields.
    return EMPTY_BODY;
  }
  const lower = contentType.toLowerCase();
  if (lower.startsWith('application/x-www-form-urlencoded')) return parseFormBody(raw);
  if (lower.startsWith('application/json')) return parseJsonBody(raw);
  if (lower.startsWith('multipart/form-data')) return parseMultipartBody(raw, contentType);
  return EMPTY_BODY;
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

interface Failure {
  status: number;
  message: string;
}

const NO_KEY: Failure = { status: 401, message: 'No API key found in request' };
const DUPLICATE_KEY: Failure = { status: 401, message: 'Duplicate API key found' };
const INVALID_KEY: Failure = { status: 401, message: 'Unauthorized' };
const CONSUMER_LOAD_ERROR: Failure = { status: 500, message: 'An unexpected error occurred' };

/** Returned when the decision depends on a body not read yet; the caller reads it and asks again. */
const NEEDS_BODY = Symbol('needs body');

function isTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** Lua truthiness for the `if not v` chain: nil and false are falsy, everything else (even "") is not. */
function isMissing(value: unknown): boolean {
  return value === undefined || value === false;
}

function hideCredentials(ctx: PluginContext, config: KeyAuthConfig, name: string, body: ParsedBody | undefined): void {
  const upstream = ctx.upstream;
  upstream.removeHeader(name);
  // The header may have been found through the `_` → `-` mapping; that spelling must not leak either.
  const dashed = name.replace(/_/g, '-');
  if (dashed !== name) upstream.removeHeader(dashed);
  const query = removeArg(ctx.request.rawQuery, name);
  if (query !== null) upstream.setRawQuery(query);
  if (config.key_in_body && body !== undefined) {
    const rest = body.without(name);
    if (rest !== null) upstream.setBody(rest);
  }
}

/**
 * Kong's do_authentication. `body` is undefined until read: the lookup then stops with NEEDS_BODY
 * before any side effect, and is run again once the body is there.
 */
function authenticate(
  ctx: PluginContext,
  config: KeyAuthConfig,
  body: ParsedBody | undefined,
): Failure | null | typeof NEEDS_BODY {
  const request = ctx.request;
  let query: Map<string, ArgValue> | undefined;
  let key: string | undefined;
  let keyName: string | undefined;

  for (const name of config.key_names) {
    let value: unknown = config.key_in_header ? headerValue(request.rawHeaders, name) : undefined;
    if (isMissing(value) && config.key_in_query) {
      query ??= parseArgs(request.rawQuery);
      value = query.get(name);
    }
    if (isMissing(value) && config.key_in_body) {
      if (body === undefined) return NEEDS_BODY;
      value = body.field(name);
    }
    if (typeof value === 'string') {
      key = value;
      keyName = name;
      break;
    }
    if (isTable(value)) {
      if (Array.isArray(value)) for (const one of value) if (typeof one === 'string') ctx.markSecret(one);
      return DUPLICATE_KEY;
    }
    // true (a query flag without `=`), numbers, JSON null: not a key; try the next name.
  }

  if (keyName !== undefined && config.hide_credentials) {
    if (config.key_in_body && body === undefined) return NEEDS_BODY;
    hideCredentials(ctx, config, keyName, body);
  }

  if (key === undefined || key === '') return NO_KEY;
  ctx.markSecret(key);

  const credential = ctx.entities.keyauthCredentialByKey(key);
  if (credential === undefined) return INVALID_KEY;
  if (credential.ttl !== null && credential.ttl > 0 && ctx.startedAt / 1000 >= credential.createdAt + credential.ttl) {
    return INVALID_KEY;
  }
  const consumer = ctx.entities.consumerById(credential.consumerId);
  if (consumer === undefined) return CONSUMER_LOAD_ERROR;
  authenticateConsumer(ctx, consumer, { id: credential.id, kind: 'key-auth', identifier: credential.id });
  return null;
}

function respond(ctx: PluginContext, config: KeyAuthConfig, failure: Failure | null): KongExit | void {
  if (failure === null) return;
  if (config.anonymous !== null) return authenticateAnonymous(ctx, config.anonymous);
  if (failure.status !== 401) return new KongExit(failure.status, failure.message);
  const challenge = config.realm === null ? 'Key' : `Key realm="${config.realm}"`;
  return new KongExit(401, failure.message, { 'WWW-Authenticate': challenge });
}

async function authenticateWithBody(ctx: PluginContext, config: KeyAuthConfig): Promise<KongExit | void> {
  const body = await readParsedBody(ctx);
  const outcome = authenticate(ctx, config, body);
  return respond(ctx, config, outcome === NEEDS_BODY ? CONSUMER_LOAD_ERROR : outcome);
}

function access(ctx: PluginContext, config: KeyAuthConfig, _plugin: Plugin<KeyAuthConfig>): KongExit | void | Promise<KongExit | void> {
  if (!config.run_on_preflight && ctx.request.method === 'OPTIONS') return;
  // Logical OR with another auth plugin that already authenticated this request.
  if (config.anonymous !== null && ctx.credential !== null) return;
  const outcome = authenticate(ctx, config, undefined);
  if (outcome === NEEDS_BODY) return authenticateWithBody(ctx, config);
  return respond(ctx, config, outcome);
}

export const keyAuthHandler: PluginHandler<KeyAuthConfig> = {
  name: 'key-auth',
  priority: PRIORITY,
  noConsumer: true,
  access,
};

/** Stateless: every gateway can share the one handler. */
export const keyAuthPlugin: PluginHandlerModule<KeyAuthConfig> = { name: 'key-auth', PRIORITY, VERSION, create: () => keyAuthHandler };

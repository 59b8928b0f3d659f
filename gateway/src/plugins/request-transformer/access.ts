// request-transformer's access phase (kong/plugins/request-transformer/access.lua execute):
// replace.uri, then http_method, then headers, body and querystring, each in the order
// remove → rename → replace → add → append. Values are templates rendered against the request
// as earlier plugins left it (key-auth's X-Consumer-* headers are visible, for instance).

import { encodeArgs, encodeSortedQuery, parseArgs, type ArgValue } from '../../http/ngx-args.js';
import { PluginFailure } from '../types.js';
import type { PluginContext } from '../types.js';
import { BoundedMemo } from '../bounded-memo.js';
import { splitColonPair, validateHeaderValueText } from '../colon-pairs.js';
import {
  appendArg,
  bodyKindOf,
  transformFormBody,
  transformJsonBody,
  transformMultipartBody,
  type BodyOperations,
  type Pairs,
} from './body.js';
import { compileTemplate, renderTemplate, type LuaValue, type Template, type TemplateEnv, type TemplateSource } from './template.js';

interface Targets<T> {
  body: T;
  headers: T;
  querystring: T;
}

export interface RequestTransformerConfig {
  http_method: string | null;
  remove: Targets<string[]>;
  rename: Targets<string[]>;
  replace: Targets<string[]> & { uri: string | null };
  add: Targets<string[]>;
  append: Targets<string[]>;
}

/** One entry with its value compiled (null: the entry has no value, Kong's nil). */
interface Entry {
  name: string;
  /** The name in lower case, for header lookups. */
  lower: string;
  value: Template | null;
  /** The value itself when it has no `$( … )`: nothing to render per request. */
  plain: string | null;
}

/** The entries of one operation on one target. */
interface EntryList {
  readonly entries: readonly Entry[];
  /** When no value is a template: the name/value pairs, rendered once per configuration. */
  readonly plainPairs: Pairs | null;
}

type Operation = 'remove' | 'rename' | 'replace' | 'add' | 'append';
const OPERATIONS: readonly Operation[] = ['remove', 'rename', 'replace', 'add', 'append'];

type Compiled = Record<Operation, Targets<EntryList>> & {
  uri: Template | null;
  /** Whether any operation names a querystring / body entry. */
  querystring: boolean;
  /**
   * When no querystring value is a template, the query sent upstream depends on the client's alone:
   * client's raw query → the one sent, for the last QUERY_RESULTS_KEPT distinct ones. null with templates.
   */
  queryResults: BoundedMemo<string, string> | null;
  body: boolean;
};

/** Templates compiled once per configuration object (Kong keeps them in a weak-keyed cache too). */
const compiledConfigs = new WeakMap<RequestTransformerConfig, Compiled>();

function compileEntries(texts: readonly string[]): EntryList {
  const entries = texts.map((text): Entry => {
    const pair = splitColonPair(text) ?? { name: text, value: '' };
    const value = pair.value === '' ? null : compileTemplate(pair.value);
    return { name: pair.name, lower: pair.name.toLowerCase(), value, plain: value !== null && value.plain ? pair.value : null };
  });
  const withValues = entries.filter((entry) => entry.value !== null);
  const plainPairs = withValues.every((entry) => entry.plain !== null) ? withValues.map((entry) => [entry.name, entry.plain!] as const) : null;
  return { entries, plainPairs };
}

function compiled(config: RequestTransformerConfig): Compiled {
  let found = compiledConfigs.get(config);
  if (found === undefined) {
    const targets = (operation: Operation): Targets<EntryList> => ({
      body: compileEntries(config[operation].body),
      headers: compileEntries(config[operation].headers),
      querystring: compileEntries(config[operation].querystring),
    });
    found = {
      remove: targets('remove'),
      rename: targets('rename'),
      replace: targets('replace'),
      add: targets('add'),
      append: targets('append'),
      uri: config.replace.uri === null || config.replace.uri === '' ? null : compileTemplate(config.replace.uri),
      querystring: OPERATIONS.some((operation) => config[operation].querystring.length > 0),
      queryResults: null,
      body: OPERATIONS.some((operation) => config[operation].body.length > 0),
    };
    if (OPERATIONS.every((operation) => operation === 'remove' || found![operation].querystring.plainPairs !== null)) found.queryResults = new BoundedMemo(QUERY_RESULTS_KEPT);
    compiledConfigs.set(config, found);
  }
  return found;
}

/** The template environment: each source read on first use, then kept for the rest of the request (Kong's lazy loaders). */
class RequestEnvironment implements TemplateEnv {
  /** Kong's headers table, loaded once: null until the header transform writes after a lookup (see holdHeaders). */
  #headers: Map<string, string[]> | null = null;
  #headersLookedUp = false;
  #query: Map<string, ArgValue> | null = null;

  constructor(readonly ctx: PluginContext) {}

  /**
   * Kong reads the headers table whole on the first `$(headers.…)`; later lookups see it as it was then.
   * Until something changes the headers, one name at a time gives the same answers without building the
   * table, so the table is built only when the headers are about to change after a lookup.
   */
  holdHeaders(): void {
    if (this.#headersLookedUp && this.#headers === null) this.#headers = this.ctx.upstream.currentHeaders();
  }

  #header(lower: string): string[] | undefined {
    if (this.#headers !== null) return this.#headers.get(lower);
    this.#headersLookedUp = true;
    return this.ctx.upstream.currentHeader(lower);
  }

  #queryRaw: string | null = null;

  /** The raw query the query_params (and the querystring transform) read: the one at the first read. */
  queryRaw(): string {
    return (this.#queryRaw ??= this.ctx.upstream.currentRawQuery());
  }

  query(): Map<string, ArgValue> {
    return (this.#query ??= parseArgs(this.queryRaw()));
  }

  lookup(source: TemplateSource, key: string | number): LuaValue {
    switch (source) {
      case 'headers': {
        if (typeof key !== 'string') return undefined;
        // ngx.req.get_headers(): lower-case keys; a miss retries with `_` turned into `-`.
        const lower = key.toLowerCase();
        // ngx.req.get_headers() has the client's Host; the upstream view leaves it out.
        if (lower === 'host') return this.ctx.request.headers.host;
        const values = this.#header(lower) ?? (lower.includes('_') ? this.#header(lower.replace(/_/g, '-')) : undefined);
        return values === undefined ? undefined : values.length === 1 ? values[0] : values;
      }
      case 'query_params':
        return typeof key === 'string' ? this.query().get(key) : undefined;
      case 'uri_captures': {
        const captures = this.ctx.uriCaptures;
        // Kong has no uri_captures at all unless the matched regex had groups.
        if (captures.whole === null) return undefined;
        if (typeof key === 'number') return key === 0 ? captures.whole : captures.unnamed[key - 1];
        return captures.named[key];
      }
      case 'shared':
        // kong.ctx.shared: none of the plugins this gateway runs writes to it.
        return undefined;
    }
  }
}

function render(list: EntryList, env: TemplateEnv): Pairs {
  if (list.plainPairs !== null) return list.plainPairs;
  const out: Array<readonly [string, string]> = [];
  for (const entry of list.entries) if (entry.value !== null) out.push([entry.name, entry.plain ?? renderTemplate(entry.value, env)]);
  return out;
}

// ---- headers ----

interface HeaderSlot {
  /** The name as it goes upstream (the configured spelling for names the plugin writes). */
  name: string;
  values: string[];
}

/** Plain values were checked by the schema at load; a rendered one is checked here. */
function headerValueOf(entry: Entry, env: TemplateEnv): string {
  if (entry.plain !== null) return entry.plain;
  const value = renderTemplate(entry.value!, env);
  if (validateHeaderValueText(value) !== null) throw new PluginFailure(`rendered value of header '${entry.name}' contains characters a header cannot carry`);
  return value;
}

/** The headers as they are (read from the request, which nothing changes until the end), and the changes made to them (null: removed). */
class HeaderEdits {
  readonly changed = new Map<string, HeaderSlot | null>();

  constructor(readonly ctx: PluginContext) {}

  slot(lower: string): HeaderSlot | undefined {
    const edited = this.changed.get(lower);
    if (edited !== undefined) return edited ?? undefined;
    const values = this.ctx.upstream.currentHeader(lower);
    return values === undefined ? undefined : { name: lower, values };
  }

  has(lower: string): boolean {
    const edited = this.changed.get(lower);
    return edited === undefined ? this.ctx.upstream.currentHeader(lower) !== undefined : edited !== null;
  }
}

// Each value is rendered before the entry is checked, as Kong's iterator renders it: a value that
// cannot be rendered fails the request even where the entry would have been skipped.
function transformHeaders(ctx: PluginContext, ops: Compiled, env: RequestEnvironment): void {
  const edits = new HeaderEdits(ctx);
  const { changed } = edits;

  for (const { lower } of ops.remove.headers.entries) {
    if (edits.has(lower)) changed.set(lower, null);
  }
  for (const entry of ops.rename.headers.entries) {
    if (entry.value === null) continue;
    const newName = entry.plain ?? renderTemplate(entry.value, env);
    const found = edits.slot(entry.lower);
    if (found === undefined || entry.name === newName) continue;
    changed.set(entry.lower, null);
    changed.set(newName.toLowerCase(), { name: newName, values: found.values });
  }
  for (const entry of ops.replace.headers.entries) {
    if (entry.value === null) continue;
    const value = headerValueOf(entry, env);
    if (!edits.has(entry.lower) && entry.lower !== 'host') continue;
    changed.set(entry.lower, { name: edits.slot(entry.lower)?.name ?? entry.name, values: [value] });
  }
  for (const entry of ops.add.headers.entries) {
    if (entry.value === null) continue;
    const value = headerValueOf(entry, env);
    if (edits.has(entry.lower) || entry.lower === 'host') continue;
    changed.set(entry.lower, { name: entry.name, values: [value] });
  }
  for (const entry of ops.append.headers.entries) {
    if (entry.value === null) continue;
    const value = headerValueOf(entry, env);
    // An appended value keeps the configured spelling of the name.
    changed.set(entry.lower, { name: entry.name, values: [...(edits.slot(entry.lower)?.values ?? []), value] });
  }

  if (changed.size > 0) env.holdHeaders();
  for (const [lower, edited] of changed) {
    if (edited === null) ctx.upstream.removeHeader(lower);
    else ctx.upstream.setHeader(edited.name, edited.values);
  }
}

// ---- querystring ----

/** Distinct client queries whose result a plain querystring transform keeps. */
export const QUERY_RESULTS_KEPT = 256;

function transformQuerystring(ctx: PluginContext, ops: Compiled, env: RequestEnvironment): void {
  if (!ops.querystring) return;
  const results = ops.queryResults;
  if (results === null) {
    ctx.upstream.setRawQuery(transformedQuery(ops, env));
    return;
  }
  const rawQuery = env.queryRaw();
  let sent = results.get(rawQuery);
  if (sent === undefined) {
    sent = transformedQuery(ops, env);
    results.set(rawQuery, sent);
  }
  ctx.upstream.setRawQuery(sent);
}

function transformedQuery(ops: Compiled, env: RequestEnvironment): string {
  const query = new Map(env.query());
  for (const { name } of ops.remove.querystring.entries) query.delete(name);
  for (const [oldName, newName] of render(ops.rename.querystring, env)) {
    const value = query.get(oldName);
    if (oldName === newName || value === undefined) continue;
    query.delete(oldName);
    query.set(newName, value);
  }
  for (const [name, value] of render(ops.replace.querystring, env)) if (query.has(name)) query.set(name, value);
  for (const [name, value] of render(ops.add.querystring, env)) if (!query.has(name)) query.set(name, value);
  for (const [name, value] of render(ops.append.querystring, env)) {
    const current = query.get(name);
    query.set(name, appendArg(Array.isArray(current) ? [...current] : current, value));
  }
  return encodeSortedQuery(query);
}

// ---- method, uri, body ----

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'TRACE']);

function contentTypeNow(ctx: PluginContext): string | undefined {
  return ctx.upstream.currentHeader('content-type')?.[0];
}

/** A GET/HEAD/TRACE of a form: Kong moves the form's fields into the query string too. */
function methodNeedsBody(ctx: PluginContext, config: RequestTransformerConfig): boolean {
  return config.http_method !== null && METHODS_WITHOUT_BODY.has(config.http_method) && bodyKindOf(contentTypeNow(ctx)) === 'form';
}

function transformMethod(ctx: PluginContext, config: RequestTransformerConfig, body: Buffer | null): void {
  if (config.http_method === null) return;
  ctx.upstream.setMethod(config.http_method.toUpperCase());
  if (body === null) return;
  const fields = parseArgs(body.toString('utf8'));
  if (fields.size === 0) return;
  const query = parseArgs(ctx.upstream.currentRawQuery());
  for (const [name, value] of fields) {
    const current = query.get(name);
    if (current === undefined) query.set(name, value);
    else if (Array.isArray(current)) current.push(...(Array.isArray(value) ? value : [value]));
    else query.set(name, [current, ...(Array.isArray(value) ? value : [value])]);
  }
  ctx.upstream.setRawQuery(encodeArgs(query));
}

function transformUri(ctx: PluginContext, ops: Compiled, env: TemplateEnv): void {
  if (ops.uri === null) return;
  ctx.upstream.setPath(renderTemplate(ops.uri, env));
}

function bodyOperations(ops: Compiled, env: TemplateEnv): BodyOperations {
  return {
    remove: ops.remove.body.entries.map((entry) => entry.name),
    rename: render(ops.rename.body, env),
    replace: render(ops.replace.body, env),
    add: render(ops.add.body, env),
    append: render(ops.append.body, env),
  };
}

function transformBody(ctx: PluginContext, ops: Compiled, env: TemplateEnv, body: Buffer): void {
  const contentType = contentTypeNow(ctx);
  const kind = bodyKindOf(contentType);
  if (kind === null) return;
  const operations = bodyOperations(ops, env);
  const transformed =
    kind === 'form'
      ? transformFormBody(operations, body)
      : kind === 'json'
        ? transformJsonBody(operations, body)
        : transformMultipartBody(operations, body, contentType!);
  if (transformed !== null) ctx.upstream.setBody(transformed);
}

export function execute(ctx: PluginContext, config: RequestTransformerConfig): void | Promise<void> {
  const ops = compiled(config);
  const env = new RequestEnvironment(ctx);
  transformUri(ctx, ops, env);
  const readsBodyForMethod = methodNeedsBody(ctx, config);
  // The body is read only when a transform needs it: a GET turned from a form, or body entries and a body type Kong transforms.
  const mayTransformBody = ops.body;
  if (!readsBodyForMethod && !mayTransformBody) {
    transformMethod(ctx, config, null);
    transformHeaders(ctx, ops, env);
    transformQuerystring(ctx, ops, env);
    return;
  }
  return (async () => {
    transformMethod(ctx, config, readsBodyForMethod ? await ctx.upstream.currentBody() : null);
    transformHeaders(ctx, ops, env);
    if (mayTransformBody && bodyKindOf(contentTypeNow(ctx)) !== null) transformBody(ctx, ops, env, await ctx.upstream.currentBody());
    transformQuerystring(ctx, ops, env);
  })();
}

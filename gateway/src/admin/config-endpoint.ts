// POST /config and GET /config (kong/api/routes/config.lua), the only way to change a DB-less node.
//
// POST accepts, like Kong:
//   (a) a JSON body (Content-Type application/json) that is the configuration itself (has `_format_version`);
//   (b) a raw JSON or YAML body of any other content type;
//   (c) a JSON, url-encoded or multipart body whose `config` field holds the configuration as JSON or YAML text.
// Options come from the query string or the body: `check_hash=1` answers 304 when the md5 of the
// configuration text equals the active hash (text configurations only, as in Kong), and
// `flatten_errors=1|true|on|yes` adds `flattened_errors` to a 400.
// The store changes only when the whole configuration validated.

import { createHash } from 'node:crypto';
import type { FlatConfig } from '../declarative/entities.js';
import { loadDeclarativeConfig } from '../declarative/load.js';
import { configToKongFlat, exportDeclarativeYaml, parseDeclarativeText } from '../declarative/parse.js';
import { DeclarativeConfigError } from '../declarative/errors.js';
import { decodeUtf8Strict, InvalidUtf8Error } from '../http/utf8.js';
import { AdminHttpError } from './http.js';
import type { EndpointResult } from './entity-endpoints.js';
import type { RequestBody } from './request-body.js';

/** The part of the lead's ConfigStore this endpoint uses. */
export interface AdminConfigStore {
  readonly current: { readonly config: FlatConfig; readonly hash: string; readonly loadedAt: number };
  apply(config: FlatConfig, hash: string): unknown;
}

const OPTION_NAMES = ['check_hash', 'flatten_errors'];

/** Kong's truthy() for flatten_errors. */
function truthy(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === 'string' && ['true', '1', 'on', 'yes'].includes(value.toLowerCase());
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutOptions(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const name of OPTION_NAMES) delete copy[name];
  return copy;
}

type Hydrated =
  | { kind: 'table'; table: Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'invalid'; error: DeclarativeConfigError };

/** Kong's hydrate_config_from_request: which of the three body forms this request uses. */
function hydrate(params: Record<string, unknown>, body: RequestBody): Hydrated {
  if (body.decoded.kind === 'json' && isObject(body.decoded.value) && '_format_version' in body.decoded.value) {
    if (body.decoded.value._format_version !== false) return { kind: 'table', table: withoutOptions(body.decoded.value) };
  }
  const config = params.config;
  if (typeof config === 'string') return { kind: 'text', text: config };
  if (config !== undefined && config !== null) {
    // Kong hands a non-text `config` ({"config": {...}}) to its text parser, which refuses it.
    return { kind: 'invalid', error: DeclarativeConfigError.parseFailure('expected a string') };
  }
  if (body.raw.length > 0) {
    try {
      return { kind: 'text', text: decodeUtf8Strict(body.raw) };
    } catch (error) {
      if (error instanceof InvalidUtf8Error) return { kind: 'invalid', error: DeclarativeConfigError.parseFailure(error.message) };
      throw error;
    }
  }
  throw new AdminHttpError(400, { message: 'expected a declarative configuration' });
}

export interface PostConfigInput {
  query: Record<string, string>;
  body: RequestBody;
  store: AdminConfigStore;
}

export function postConfigEndpoint({ query, body, store }: PostConfigInput): EndpointResult {
  const bodyParams: Record<string, unknown> =
    body.decoded.kind === 'json' && isObject(body.decoded.value)
      ? body.decoded.value
      : body.decoded.kind === 'form'
        ? body.decoded.fields
        : {};
  const params: Record<string, unknown> = { ...query, ...bodyParams };
  const flattenErrors = truthy(params.flatten_errors);
  // Kong keeps the older, stricter test for check_hash: only the value 1.
  const checkHash = String(params.check_hash) === '1';

  const hydrated = hydrate(params, body);
  if (hydrated.kind === 'invalid') return { status: 400, body: hydrated.error.body };
  let input: unknown;
  let hash: string;
  if (hydrated.kind === 'text') {
    hash = md5(hydrated.text);
    if (checkHash && hash === store.current.hash) return { status: 304, body: null };
    try {
      input = parseDeclarativeText(hydrated.text);
    } catch (error) {
      if (error instanceof DeclarativeConfigError) return { status: 400, body: error.body };
      throw error;
    }
  } else {
    input = hydrated.table;
    hash = md5(JSON.stringify(hydrated.table));
  }

  const result = loadDeclarativeConfig(input, { flattenErrors });
  if (!result.ok) return { status: 400, body: result.error.body };
  store.apply(result.config, hash);
  return { status: 201, body: configToKongFlat(result.config) };
}

export function getConfigEndpoint(store: AdminConfigStore, version: string): EndpointResult {
  return { status: 200, body: { config: exportDeclarativeYaml(store.current.config, version) } };
}

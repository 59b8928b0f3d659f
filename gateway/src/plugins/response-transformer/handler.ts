// response-transformer (Kong PRIORITY 800): changes response headers in the response phase (Kong's
// header_filter) and, when JSON entries are configured and the response is JSON, the body (a
// buffered body_filter). Kong-generated responses (401, 429, 404 …) go through it too.

import { BUNDLED_VERSION } from '../types.js';
import type { PluginContext, PluginHandler, PluginHandlerModule } from '../types.js';
import { splitColonPair } from '../colon-pairs.js';
import { isJsonContentType } from './json-content-type.js';
import { isBodyTransformSet, transformJsonBody, type ResponseTransformerJson } from './json-body.js';

export const PRIORITY = 800;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

interface HeaderEntries {
  headers: string[];
}

export interface ResponseTransformerConfig extends ResponseTransformerJson {
  remove: ResponseTransformerJson['remove'] & HeaderEntries;
  rename: ResponseTransformerJson['rename'] & HeaderEntries;
  replace: ResponseTransformerJson['replace'] & HeaderEntries;
  add: ResponseTransformerJson['add'] & HeaderEntries;
  append: ResponseTransformerJson['append'] & HeaderEntries;
}

function pairs(list: readonly string[]): Array<{ name: string; value: string }> {
  return list.map((entry) => splitColonPair(entry) ?? { name: entry, value: '' });
}

/** The header changes of one configuration, split once; entries that can never do anything are left out. */
interface HeaderPlan {
  remove: readonly string[];
  rename: ReadonlyArray<{ oldName: string; oldLower: string; newName: string }>;
  replace: ReadonlyArray<{ name: string; lower: string; value: string }>;
  add: ReadonlyArray<{ name: string; lower: string; value: string }>;
  append: ReadonlyArray<{ name: string; value: string }>;
  /** Lower-case names whose presence before the first change decides something. */
  checked: readonly string[];
  transformsBody: boolean;
}

const headerPlans = new WeakMap<ResponseTransformerConfig, HeaderPlan>();

function valued(list: readonly string[]): Array<{ name: string; lower: string; value: string }> {
  return pairs(list)
    .filter(({ value }) => value !== '')
    .map(({ name, value }) => ({ name, lower: name.toLowerCase(), value }));
}

function headerPlan(config: ResponseTransformerConfig): HeaderPlan {
  let plan = headerPlans.get(config);
  if (plan === undefined) {
    const rename = pairs(config.rename.headers)
      .filter(({ value }) => value !== '')
      .map(({ name, value }) => ({ oldName: name, oldLower: name.toLowerCase(), newName: value }));
    const replace = valued(config.replace.headers);
    const add = valued(config.add.headers);
    plan = {
      remove: pairs(config.remove.headers).map(({ name }) => name),
      rename,
      replace,
      add,
      append: valued(config.append.headers),
      checked: [...new Set([...rename.map((one) => one.oldLower), ...replace.map((one) => one.lower), ...add.map((one) => one.lower)])],
      transformsBody: isBodyTransformSet(config),
    };
    headerPlans.set(config, plan);
  }
  return plan;
}

/** header_transformer.transform_headers: every check reads the headers as they were before the first change. */
function transformHeaders(ctx: PluginContext, plan: HeaderPlan): void {
  const response = ctx.response;
  // Only the names a check reads are looked at, not the whole header list.
  const before = new Map<string, string[]>();
  for (const lower of plan.checked) before.set(lower, response.get(lower));
  const has = (lower: string) => before.get(lower)!.length > 0;
  for (const name of plan.remove) response.clear(name);
  for (const { oldName, oldLower, newName } of plan.rename) {
    if (!has(oldLower)) continue;
    response.set(newName, before.get(oldLower)!);
    response.clear(oldName);
  }
  for (const { name, lower, value } of plan.replace) if (has(lower)) response.set(name, value);
  for (const { name, lower, value } of plan.add) if (!has(lower)) response.set(name, value);
  // Kong's add_header fails on a missing value; there is nothing to append then.
  for (const { name, value } of plan.append) response.add(name, value);
}

function response(ctx: PluginContext, config: ResponseTransformerConfig): void {
  const plan = headerPlan(config);
  transformHeaders(ctx, plan);
  if (!plan.transformsBody || !isJsonContentType(ctx.response.get('content-type')[0])) return;
  // The body changes length: it goes out without Content-Length (chunked), as Kong sends it.
  ctx.response.clear('Content-Length');
  ctx.response.filterBody((body) => transformJsonBody(config, body) ?? body);
}

export const responseTransformerHandler: PluginHandler<ResponseTransformerConfig> = {
  name: 'response-transformer',
  priority: PRIORITY,
  response,
};

export const responseTransformerPlugin: PluginHandlerModule<ResponseTransformerConfig> = {
  name: 'response-transformer',
  PRIORITY,
  VERSION,
  create: () => responseTransformerHandler,
};

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
  /** `checked`: where in `checked` the entry's name is, whose presence before the first change decides it. */
  rename: ReadonlyArray<{ oldName: string; checked: number; newName: string }>;
  replace: ReadonlyArray<{ name: string; checked: number; value: string }>;
  add: ReadonlyArray<{ name: string; checked: number; value: string }>;
  append: ReadonlyArray<{ name: string; value: string }>;
  /** Lower-case names whose presence before the first change decides something, each once. */
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
    const checked: string[] = [];
    const indexOf = (lower: string): number => {
      const at = checked.indexOf(lower);
      return at === -1 ? checked.push(lower) - 1 : at;
    };
    const rename = pairs(config.rename.headers)
      .filter(({ value }) => value !== '')
      .map(({ name, value }) => ({ oldName: name, checked: indexOf(name.toLowerCase()), newName: value }));
    const replace = valued(config.replace.headers).map(({ name, lower, value }) => ({ name, checked: indexOf(lower), value }));
    const add = valued(config.add.headers).map(({ name, lower, value }) => ({ name, checked: indexOf(lower), value }));
    plan = {
      remove: pairs(config.remove.headers).map(({ name }) => name),
      rename,
      replace,
      add,
      append: valued(config.append.headers),
      checked,
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
  const before: string[][] = [];
  for (const lower of plan.checked) before.push(response.get(lower));
  for (const name of plan.remove) response.clear(name);
  for (const { oldName, checked, newName } of plan.rename) {
    if (before[checked].length === 0) continue;
    response.set(newName, before[checked]);
    response.clear(oldName);
  }
  for (const { name, checked, value } of plan.replace) if (before[checked].length > 0) response.set(name, value);
  for (const { name, checked, value } of plan.add) if (before[checked].length === 0) response.set(name, value);
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

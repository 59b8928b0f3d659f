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

/** header_transformer.transform_headers: every check reads the headers as they were before the first change. */
function transformHeaders(ctx: PluginContext, config: ResponseTransformerConfig): void {
  const response = ctx.response;
  const before = response.snapshot();
  const has = (name: string) => before.has(name.toLowerCase());
  for (const { name } of pairs(config.remove.headers)) response.clear(name);
  for (const { name: oldName, value: newName } of pairs(config.rename.headers)) {
    if (!has(oldName) || newName === '') continue;
    response.set(newName, before.get(oldName.toLowerCase())!);
    response.clear(oldName);
  }
  for (const { name, value } of pairs(config.replace.headers)) if (has(name) && value !== '') response.set(name, value);
  for (const { name, value } of pairs(config.add.headers)) if (!has(name) && value !== '') response.set(name, value);
  // Kong's add_header fails on a missing value; there is nothing to append then.
  for (const { name, value } of pairs(config.append.headers)) if (value !== '') response.add(name, value);
}

function response(ctx: PluginContext, config: ResponseTransformerConfig): void {
  transformHeaders(ctx, config);
  if (!isBodyTransformSet(config) || !isJsonContentType(ctx.response.get('content-type')[0])) return;
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

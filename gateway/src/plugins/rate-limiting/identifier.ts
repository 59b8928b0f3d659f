// Who a request counts against (Kong's get_identifier): the configured `limit_by`, falling back to
// the client IP whenever that source has nothing for this request.

import type { PluginContext, RateLimitingConfig } from '../types.js';

export function rateLimitIdentifier(config: RateLimitingConfig, ctx: PluginContext): string {
  let identifier: string | undefined;
  switch (config.limit_by) {
    case 'consumer':
      identifier = ctx.consumer?.id ?? ctx.credential?.id;
      break;
    case 'credential':
      identifier = ctx.credential?.id;
      break;
    case 'service':
      identifier = ctx.service?.id;
      break;
    case 'header':
      if (config.header_name) identifier = firstHeaderValue(ctx, config.header_name);
      break;
    case 'path':
      if (config.path !== null && ctx.request.path === config.path) identifier = ctx.request.path;
      break;
    case 'ip':
      break;
  }
  return identifier ?? ctx.request.clientIp;
}

/** kong.request.get_header (nginx's $http_<name>): case-insensitive, `-` and `_` alike, first value when repeated. */
function firstHeaderValue(ctx: PluginContext, name: string): string | undefined {
  const wanted = name.toLowerCase().replace(/-/g, '_');
  const raw = ctx.request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].length === wanted.length && raw[i].toLowerCase().replace(/-/g, '_') === wanted) return raw[i + 1];
  }
  return undefined;
}

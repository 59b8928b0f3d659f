// request-transformer (Kong PRIORITY 801): rewrites the request on its way upstream.

import { BUNDLED_VERSION } from '../types.js';
import type { PluginHandler, PluginHandlerModule } from '../types.js';
import { execute, type RequestTransformerConfig } from './access.js';

export const PRIORITY = 801;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

export const requestTransformerHandler: PluginHandler<RequestTransformerConfig> = {
  name: 'request-transformer',
  priority: PRIORITY,
  access: (ctx, config) => execute(ctx, config),
};

export const requestTransformerPlugin: PluginHandlerModule<RequestTransformerConfig> = {
  name: 'request-transformer',
  PRIORITY,
  VERSION,
  create: () => requestTransformerHandler,
};

// The plugins this gateway can run, by name (Kong's `plugins = bundled` list, trimmed to what we implement).

import type { PluginHandler } from './types.js';
import { keyAuthHandler } from './key-auth/handler.js';
import { rateLimitingHandler } from './rate-limiting/handler.js';

export const pluginHandlers: ReadonlyMap<string, PluginHandler> = new Map<string, PluginHandler>([
  [keyAuthHandler.name, keyAuthHandler],
  [rateLimitingHandler.name, rateLimitingHandler],
]);

// The plugins this gateway accepts, by name: a name missing here is "not enabled" for the loader.
// Fail closed: a plugin is accepted only when a handler can run it, so a declared auth plugin can
// never be skipped silently. A schema without a handler stays unregistered until its handler exists.

import type { PluginSchema } from '../schema/plugin-schema.js';
import { pluginHandlers } from './handlers.js';
import { keyAuthSchema } from './key-auth/schema.js';
import { rateLimitingSchema } from './rate-limiting/schema.js';

export type { PluginSchema };

export const pluginSchemas: ReadonlyMap<string, PluginSchema> = new Map(
  [keyAuthSchema, rateLimitingSchema].filter((schema) => pluginHandlers.has(schema.name)).map((schema) => [schema.name, schema]),
);

/** `key-auth, rate-limiting`: what this gateway runs, for messages that refuse another plugin. */
export function runnablePluginNames(): string {
  return [...pluginSchemas.keys()].sort().join(', ');
}

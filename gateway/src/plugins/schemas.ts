// The plugins this gateway knows, by name: a name missing here is "not enabled" for the loader.

import type { PluginSchema } from '../schema/plugin-schema.js';
import { aclPluginSchema } from '../schema/plugins/acl.js';
import { basicAuthSchema } from '../schema/plugins/basic-auth.js';
import { keyAuthSchema } from './key-auth/schema.js';
import { rateLimitingSchema } from './rate-limiting/schema.js';

export type { PluginSchema };

export const pluginSchemas: ReadonlyMap<string, PluginSchema> = new Map(
  [keyAuthSchema, rateLimitingSchema, basicAuthSchema, aclPluginSchema].map((schema) => [schema.name, schema]),
);

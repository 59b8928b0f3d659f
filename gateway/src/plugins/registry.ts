// The one list of the plugins this gateway runs (Kong's `plugins = bundled`, trimmed to what we
// implement). The loader, the `plugins` entity's subschemas, `GET /` and `GET /schemas/plugins/…`
// all read it, so a plugin is accepted exactly when a handler can run it: fail closed.
// Each plugin is a folder as Kong lays them out: schema.ts, handler.ts, and daos.ts for its entities.

import { pluginEntitySchema } from '../schema/entities/plugins.js';
import type { PluginSchema } from '../schema/plugin-schema.js';
import type { EntitySchemaDef } from '../schema/types.js';
import { BUNDLED_VERSION } from './types.js';
import type { PluginDependencies, PluginHandler, PluginHandlerModule } from './types.js';
import { aclSchema } from './acl/schema.js';
import { aclPlugin } from './acl/handler.js';
import { basicAuthSchema } from './basic-auth/schema.js';
import { basicAuthPlugin } from './basic-auth/handler.js';
import { keyAuthSchema } from './key-auth/schema.js';
import { keyAuthPlugin } from './key-auth/handler.js';
import { proxyCacheSchema } from './proxy-cache/schema.js';
import { proxyCachePlugin } from './proxy-cache/handler.js';
import { rateLimitingSchema } from './rate-limiting/schema.js';
import { tcpLogSchema } from './tcp-log/schema.js';
import { tcpLogPlugin } from './tcp-log/handler.js';
import { rateLimitingPlugin } from './rate-limiting/handler.js';
import { requestTransformerSchema } from './request-transformer/schema.js';
import { requestTransformerPlugin } from './request-transformer/handler.js';
import { responseTransformerSchema } from './response-transformer/schema.js';
import { responseTransformerPlugin } from './response-transformer/handler.js';

export interface RegisteredPlugin {
  readonly schema: PluginSchema;
  readonly handler: PluginHandlerModule;
}

// One line per plugin.
export const PLUGINS: readonly RegisteredPlugin[] = [
  { schema: keyAuthSchema, handler: keyAuthPlugin },
  { schema: basicAuthSchema, handler: basicAuthPlugin },
  { schema: aclSchema, handler: aclPlugin },
  { schema: rateLimitingSchema, handler: rateLimitingPlugin },
  { schema: requestTransformerSchema, handler: requestTransformerPlugin },
  { schema: responseTransformerSchema, handler: responseTransformerPlugin },
  { schema: proxyCacheSchema, handler: proxyCachePlugin },
  { schema: tcpLogSchema, handler: tcpLogPlugin },
];

function indexByName(plugins: readonly RegisteredPlugin[]): ReadonlyMap<string, RegisteredPlugin> {
  const byName = new Map<string, RegisteredPlugin>();
  for (const plugin of plugins) {
    // A mismatch is a wiring mistake in this file: refuse to start rather than run a schema under another plugin's handler.
    if (plugin.schema.name !== plugin.handler.name) {
      throw new Error(`plugin registry: schema '${plugin.schema.name}' is paired with handler '${plugin.handler.name}'`);
    }
    if (byName.has(plugin.schema.name)) throw new Error(`plugin registry: '${plugin.schema.name}' is listed twice`);
    byName.set(plugin.schema.name, plugin);
  }
  return byName;
}

const registered = indexByName(PLUGINS);

/** Config schemas by plugin name: a name missing here is "not enabled" for the loader. */
export const pluginSchemas: ReadonlyMap<string, PluginSchema> = new Map([...registered].map(([name, p]) => [name, p.schema]));

/** The `plugins` entity, its `config` specialised by each registered plugin. */
export const pluginEntity: EntitySchemaDef = pluginEntitySchema(pluginSchemas.values());

export interface AvailablePlugin {
  name: string;
  priority: number;
  /** null: the gateway's own version (Kong's bundled plugins report kong_meta.version). */
  version: string | null;
}

/** `GET /` plugins.available_on_server. */
export function availablePlugins(): AvailablePlugin[] {
  return PLUGINS.map(({ handler }) => ({
    name: handler.name,
    priority: handler.PRIORITY,
    version: handler.VERSION === BUNDLED_VERSION ? null : handler.VERSION,
  }));
}

/** A fresh set of handlers for one running gateway: whatever they keep lives in `deps` or in them, never shared between gateways. */
export function createPluginHandlers(deps: PluginDependencies): ReadonlyMap<string, PluginHandler> {
  return new Map(PLUGINS.map(({ handler }) => [handler.name, handler.create(deps)]));
}

/** `acl, basic-auth, key-auth, rate-limiting`: what this gateway runs. */
export function runnablePluginNames(): string {
  return [...registered.keys()].sort().join(', ');
}

/** Our line next to Kong's "plugin 'X' not enabled" answer, saying what can be declared instead. */
export function notEnabledHint(): string {
  return `this gateway runs only these plugins: ${runnablePluginNames()}`;
}

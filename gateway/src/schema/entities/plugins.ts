// kong/db/schema/entities/plugins.lua: the plugin entity; `config` comes from the plugin's schema.
// The plugin registry supplies the subschemas, so this module knows no plugin by name.

import { pluginSubschema, type PluginSchema } from '../plugin-schema.js';
import { typedefs } from '../typedefs.js';
import type { EntitySchemaDef } from '../types.js';

/** Kong's field message for a plugin name the node does not run (kong.conf `plugins`). */
export const PLUGIN_NOT_ENABLED = "plugin '%s' not enabled; add it to the 'plugins' configuration property";

export function pluginEntitySchema(plugins: Iterable<PluginSchema>): EntitySchemaDef {
  return {
    type: 'record',
    name: 'plugins',
    primary_key: ['id'],
    endpoint_key: 'instance_name',
    cache_key: ['name', 'route', 'service', 'consumer'],
    subschema_key: 'name',
    subschema_error: PLUGIN_NOT_ENABLED,
    subschemas: new Map([...plugins].map((p) => [p.name, pluginSubschema(p)])),
    fields: [
      ['id', typedefs.uuid],
      ['name', { type: 'string', required: true }],
      ['instance_name', typedefs.utf8Name],
      ['created_at', typedefs.autoTimestampS],
      ['updated_at', typedefs.autoTimestampS],
      ['route', { type: 'foreign', reference: 'routes', default: null }],
      ['service', { type: 'foreign', reference: 'services', default: null }],
      ['consumer', { type: 'foreign', reference: 'consumers', default: null }],
      // Abstract in Kong: each plugin's subschema specialises it.
      ['config', { type: 'record', fields: [] }],
      ['protocols', typedefs.protocols],
      ['enabled', { type: 'boolean', required: true, default: true }],
      ['tags', typedefs.tags],
    ],
  };
}

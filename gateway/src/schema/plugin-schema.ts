// What a plugin contributes to the `plugins` entity: its `config` record, its protocols and the
// scopes it refuses (Kong's plugin schema.lua, seen as a subschema of plugins keyed by name).

import { typedefs } from './typedefs.js';
import type { EntityCheck, FieldDef, FieldEntry, RecordDef, Subschema } from './types.js';

export interface PluginScopeRules {
  /** Kong's typedefs.no_consumer etc.: the plugin refuses that foreign key. */
  noConsumer?: boolean;
  noRoute?: boolean;
  noService?: boolean;
}

export interface PluginSchema extends PluginScopeRules {
  readonly name: string;
  /** The `config` record with every field, default and check. */
  readonly config: RecordDef;
  /** Overrides the entity's `protocols` (most plugins use typedefs.protocols_http). */
  readonly protocols?: FieldDef;
  /** Entity-level checks on the plugin (paths like `config.second`). */
  readonly entityChecks?: readonly EntityCheck[];
}

/** The subschema the `plugins` entity uses when `name` is this plugin. */
export function pluginSubschema(plugin: PluginSchema): Subschema {
  const fields: FieldEntry[] = [['config', { ...plugin.config, required: true }]];
  if (plugin.protocols) fields.push(['protocols', plugin.protocols]);
  if (plugin.noConsumer) fields.push(['consumer', typedefs.noForeign('consumers')]);
  if (plugin.noRoute) fields.push(['route', typedefs.noForeign('routes')]);
  if (plugin.noService) fields.push(['service', typedefs.noForeign('services')]);
  return { fields, entity_checks: plugin.entityChecks };
}

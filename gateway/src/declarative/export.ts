// The two outward forms of a loaded configuration: the 201 body of POST /config (entities keyed
// by id, per collection) and the YAML of GET /config (kong/db/declarative/export.lua).

import yaml from 'js-yaml';
import { collectionInfo } from './collections.js';
import { ENTITY_COLLECTIONS, type FlatConfig } from './entities.js';

/**
 * The 201 body: `{ services: { <id>: {…} }, … }`. Collections without entities are left out, as
 * Kong only lists the ones it stored; a keyauth credential's `ttl` only appears when set.
 */
export function configToKongFlat(config: FlatConfig): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const collection of ENTITY_COLLECTIONS) {
    const entities = config[collection] as unknown as Array<Record<string, unknown>>;
    if (entities.length === 0) continue;
    const byId: Record<string, unknown> = {};
    for (const entity of entities) {
      const copy = { ...entity };
      if (collection === 'keyauth_credentials' && copy.ttl === null) delete copy.ttl;
      byId[String(entity.id)] = copy;
    }
    out[collection] = byId;
  }
  return out;
}

/**
 * GET /config's YAML: `_format_version: "3.0"`, `_transform: false` (passwords are already
 * hashed), then every collection flat, foreign keys written as ids, nulls kept.
 * `kongVersion` is accepted for the caller's convenience; Kong's export does not record it.
 */
export function exportDeclarativeYaml(config: FlatConfig, kongVersion?: string): string {
  void kongVersion;
  const document: Record<string, unknown> = { _format_version: '3.0', _transform: false };
  for (const collection of ENTITY_COLLECTIONS) {
    const entities = config[collection] as unknown as Array<Record<string, unknown>>;
    if (entities.length === 0) continue;
    const { foreignKeys } = collectionInfo(collection);
    document[collection] = entities.map((entity) => {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(entity)) {
        copy[key] = foreignKeys.has(key) && value !== null ? (value as { id: string }).id : value;
      }
      return copy;
    });
  }
  return yaml.dump(document, { noRefs: true, lineWidth: -1, quotingType: '"' });
}

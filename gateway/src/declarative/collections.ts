// What the loader knows about each entity collection: its schema, how it nests, how its ids and
// foreign keys work, and the field order of the objects it outputs.

import type { EntityCollection } from './entities.js';
import { consumerSchema } from '../schema/entities/consumers.js';
import { aclGroupSchema } from '../plugins/acl/daos.js';
import { basicauthCredentialSchema } from '../plugins/basic-auth/daos.js';
import { keyauthCredentialSchema } from '../plugins/key-auth/daos.js';
import { pluginEntity } from '../plugins/registry.js';
import { routeSchema } from '../schema/entities/routes.js';
import { serviceSchema } from '../schema/entities/services.js';
import type { EntitySchemaDef } from '../schema/types.js';

export interface ChildRelation {
  readonly collection: EntityCollection;
  /** The child's foreign key pointing at the parent. */
  readonly foreignKey: string;
}

export interface CollectionInfo {
  readonly name: EntityCollection;
  /** Kong's flattened-error entity_type. */
  readonly singular: string;
  readonly schema: EntitySchemaDef;
  /** foreign key field → referenced collection (own references). */
  readonly foreignKeys: ReadonlyMap<string, string>;
  /** Collections that may be nested inside an entity of this collection. */
  readonly children: readonly ChildRelation[];
  readonly hasUpdatedAt: boolean;
  /** Output field order (the FlatConfig entity shapes). */
  readonly outputFields: readonly string[];
}

function info(
  name: EntityCollection,
  schema: EntitySchemaDef,
  children: ChildRelation[],
  outputFields: string[],
): CollectionInfo {
  const foreignKeys = new Map<string, string>();
  for (const [field, def] of schema.fields) if (def.type === 'foreign' && def.reference) foreignKeys.set(field, def.reference);
  return {
    name,
    singular: name.endsWith('s') ? name.slice(0, -1) : name,
    schema,
    foreignKeys,
    children,
    hasUpdatedAt: schema.fields.some(([field]) => field === 'updated_at'),
    outputFields,
  };
}

export const COLLECTIONS: ReadonlyMap<EntityCollection, CollectionInfo> = new Map(
  [
    info(
      'services',
      serviceSchema,
      [
        { collection: 'routes', foreignKey: 'service' },
        { collection: 'plugins', foreignKey: 'service' },
      ],
      ['id', 'name', 'protocol', 'host', 'port', 'path', 'retries', 'connect_timeout', 'write_timeout', 'read_timeout', 'tags', 'client_certificate', 'tls_verify', 'tls_verify_depth', 'ca_certificates', 'enabled', 'created_at', 'updated_at'],
    ),
    info(
      'routes',
      routeSchema,
      [{ collection: 'plugins', foreignKey: 'route' }],
      ['id', 'name', 'protocols', 'methods', 'hosts', 'paths', 'headers', 'snis', 'sources', 'destinations', 'strip_path', 'preserve_host', 'regex_priority', 'path_handling', 'https_redirect_status_code', 'request_buffering', 'response_buffering', 'tags', 'service', 'created_at', 'updated_at'],
    ),
    info(
      'consumers',
      consumerSchema,
      [
        { collection: 'plugins', foreignKey: 'consumer' },
        { collection: 'keyauth_credentials', foreignKey: 'consumer' },
        { collection: 'basicauth_credentials', foreignKey: 'consumer' },
        { collection: 'acls', foreignKey: 'consumer' },
      ],
      ['id', 'username', 'custom_id', 'tags', 'created_at', 'updated_at'],
    ),
    info('plugins', pluginEntity, [], ['id', 'name', 'instance_name', 'config', 'enabled', 'protocols', 'route', 'service', 'consumer', 'tags', 'created_at', 'updated_at']),
    info('keyauth_credentials', keyauthCredentialSchema, [], ['id', 'consumer', 'key', 'ttl', 'tags', 'created_at']),
    info('basicauth_credentials', basicauthCredentialSchema, [], ['id', 'consumer', 'username', 'password', 'tags', 'created_at']),
    info('acls', aclGroupSchema, [], ['id', 'consumer', 'group', 'tags', 'created_at']),
  ].map((c) => [c.name, c]),
);

export function collectionInfo(name: EntityCollection): CollectionInfo {
  const found = COLLECTIONS.get(name);
  if (!found) throw new Error(`no collection '${name}' is registered with the declarative loader`);
  return found;
}

export function isCollection(name: string): name is EntityCollection {
  return COLLECTIONS.has(name as EntityCollection);
}

/**
 * Kong's declarative entity order (schemas sorted so that references come first); the order in
 * which uniqueness and references are checked, so it decides which duplicate is "already declared".
 */
export const KNOWN_ENTITIES: readonly EntityCollection[] = [
  'consumers',
  'acls',
  'basicauth_credentials',
  'keyauth_credentials',
  'services',
  'routes',
  'plugins',
];

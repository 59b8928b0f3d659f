// One model of entities for both sides of a sync (the file and the gateway's running state):
// which collection an entity is in, what it references, how decK identifies it and how decK
// names it on the console.

export type RawEntity = Record<string, unknown>;

export type ForeignField = 'service' | 'route' | 'consumer';

export interface CollectionInfo {
  /** decK's console label: `creating <kind> <name>` */
  kind: string;
  /** Kong's singular `entity_type` in flattened errors. */
  entityType: string;
  /** decK's dependency level: creates run in ascending order, deletes in descending order. */
  level: number;
  foreignKeys: ForeignField[];
}

export const KNOWN_COLLECTIONS: Record<string, CollectionInfo> = {
  consumers: { kind: 'consumer', entityType: 'consumer', level: 1, foreignKeys: [] },
  services: { kind: 'service', entityType: 'service', level: 2, foreignKeys: [] },
  keyauth_credentials: { kind: 'key-auth', entityType: 'keyauth_credential', level: 2, foreignKeys: ['consumer'] },
  basicauth_credentials: { kind: 'basic-auth', entityType: 'basicauth_credential', level: 2, foreignKeys: ['consumer'] },
  acls: { kind: 'acl-group', entityType: 'acl', level: 2, foreignKeys: ['consumer'] },
  routes: { kind: 'route', entityType: 'route', level: 3, foreignKeys: ['service'] },
  plugins: { kind: 'plugin', entityType: 'plugin', level: 4, foreignKeys: ['service', 'route', 'consumer'] },
};

/** Which collection a foreign field points into. */
export const FOREIGN_COLLECTION: Record<ForeignField, string> = { service: 'services', route: 'routes', consumer: 'consumers' };

const COLLECTION_ORDER = Object.keys(KNOWN_COLLECTIONS);

export function collectionInfo(collection: string): CollectionInfo {
  return (
    KNOWN_COLLECTIONS[collection] ?? {
      // Collections this model does not know (upstreams, certificates, …) are carried as they are.
      kind: collection.replace(/_/g, '-').replace(/s$/, ''),
      entityType: collection.replace(/s$/, ''),
      level: 1,
      foreignKeys: [],
    }
  );
}

/** Sort key: decK level, then our collection order, then declaration order. */
export function collectionRank(collection: string): number {
  const index = COLLECTION_ORDER.indexOf(collection);
  return collectionInfo(collection).level * 100 + (index === -1 ? 99 : index);
}

export interface EntityNode {
  readonly collection: string;
  readonly entity: RawEntity;
  /** Referenced entities (parent by nesting, or a resolved foreign key). */
  readonly refs: Partial<Record<ForeignField, EntityNode>>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** decK's FriendlyName: the endpoint key when there is one, else the id. */
function friendlyName(node: EntityNode): string {
  const e = node.entity;
  switch (node.collection) {
    case 'consumers':
      return text(e.username) ?? text(e.id) ?? text(e.custom_id) ?? '(unnamed)';
    default:
      return text(e.name) ?? text(e.id) ?? '(unnamed)';
  }
}

/** decK shows only the last 5 characters of a key-auth key; a key is a secret. */
export function keyTail(key: unknown): string {
  const value = typeof key === 'string' ? key : '';
  return value.length <= 5 ? value : value.slice(-5);
}

function forConsumer(node: EntityNode): string {
  const consumer = node.refs.consumer;
  return consumer ? ` for consumer ${friendlyName(consumer)}` : '';
}

/** decK's Console(): the name printed after `creating <kind>`. */
export function consoleName(node: EntityNode): string {
  const e = node.entity;
  switch (node.collection) {
    case 'plugins': {
      const scopes: string[] = [];
      for (const field of ['service', 'route', 'consumer'] as const) {
        const ref = node.refs[field];
        if (ref) scopes.push(`${field} ${friendlyName(ref)}`);
      }
      return `${String(e.name)} ${scopes.length === 0 ? '(global)' : `for ${scopes.join(' and ')}`}`;
    }
    case 'keyauth_credentials':
      return `${keyTail(e.key)}${forConsumer(node)}`;
    case 'basicauth_credentials':
      return `${String(e.username)}${forConsumer(node)}`;
    case 'acls':
      return `${String(e.group)}${forConsumer(node)}`;
    default:
      return friendlyName(node);
  }
}

/**
 * How decK matches a file entity with a running one (null = cannot be matched, always new):
 * services/routes by name, consumers by username (else custom_id), plugins by name and scope,
 * key-auth by key, basic-auth by username, ACLs by consumer and group; the id otherwise.
 */
export function identity(node: EntityNode): string | null {
  const e = node.entity;
  const id = text(e.id);
  const byId = id ? `id:${id}` : null;
  const refIdentity = (field: ForeignField): string | null => {
    const ref = node.refs[field];
    return ref ? identity(ref) : '';
  };
  let key: string | null;
  switch (node.collection) {
    case 'consumers':
      key = text(e.username) ? `username:${String(e.username)}` : text(e.custom_id) ? `custom_id:${String(e.custom_id)}` : byId;
      break;
    case 'plugins': {
      const scope = (['service', 'route', 'consumer'] as const).map(refIdentity);
      key = text(e.name) && scope.every((part) => part !== null) ? `${String(e.name)}|${scope.join('|')}` : byId;
      break;
    }
    case 'keyauth_credentials':
      key = text(e.key) ? `key:${String(e.key)}` : byId;
      break;
    case 'basicauth_credentials':
      key = text(e.username) ? `username:${String(e.username)}` : byId;
      break;
    case 'acls': {
      const consumer = refIdentity('consumer');
      key = consumer !== null && text(e.group) ? `${consumer}|${String(e.group)}` : byId;
      break;
    }
    default:
      key = text(e.name) ? `name:${String(e.name)}` : byId;
  }
  return key === null ? null : `${node.collection}|${key}`;
}

export function hasAllTags(entity: RawEntity, tags: string[]): boolean {
  if (tags.length === 0) return true;
  const own = Array.isArray(entity.tags) ? entity.tags : [];
  return tags.every((tag) => own.includes(tag));
}

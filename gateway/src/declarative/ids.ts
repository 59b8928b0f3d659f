// Entity ids the way Kong's declarative loader makes them: UUIDv5 from a per-collection namespace
// (itself the v5 of the collection name in Kong's namespace), so reloading a file keeps its ids.

import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

const KONG_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 4122 version 5 (SHA-1) UUID of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const namespaces = new Map<string, string>();

/** Kong's generate_uuid(schema.name, key). */
export function entityUuid(collection: string, key: string): string {
  let namespace = namespaces.get(collection);
  if (!namespace) {
    namespace = uuidV5(KONG_NAMESPACE, collection);
    namespaces.set(collection, namespace);
  }
  return uuidV5(namespace, key);
}

export function randomId(): string {
  return randomUUID();
}

/**
 * kong.tools.rand.random_string: base64 of 24 random bytes (32 characters) where every `/`
 * becomes one random digit and every `+` one random upper-case letter.
 */
export function randomCredentialKey(): string {
  const digit = String.fromCharCode(randomInt(48, 58));
  const upper = String.fromCharCode(randomInt(65, 91));
  return randomBytes(24).toString('base64').replace(/\//g, digit).replace(/\+/g, upper);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

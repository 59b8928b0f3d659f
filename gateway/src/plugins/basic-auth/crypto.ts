// kong/plugins/basic-auth/crypto.lua: a password is kept only as sha1(password .. consumer_id), hex.

import * as crypto from 'node:crypto';

type Sha1Hex = (data: string | Buffer) => string;

// crypto.hash (Node 20.12+) hashes in one call, without the Hash object createHash makes per request.
const sha1Hex: Sha1Hex =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'hex')
    : (data) => crypto.createHash('sha1').update(data).digest('hex');

/** Hashes the password's bytes as given: a string as UTF-8 (the loader), a Buffer as the client sent it (the proxy). */
export function hashBasicAuthPassword(password: string | Buffer, consumerId: string): string {
  return sha1Hex(typeof password === 'string' ? `${password}${consumerId}` : Buffer.concat([password, Buffer.from(consumerId, 'utf8')]));
}

/** Compares a stored hash with the hash of a given password without leaking how much of it matched. */
export function passwordMatches(storedHash: string, password: Buffer, consumerId: string): boolean {
  const given = Buffer.from(hashBasicAuthPassword(password, consumerId), 'latin1');
  const stored = Buffer.from(storedHash, 'latin1');
  return given.length === stored.length && crypto.timingSafeEqual(given, stored);
}

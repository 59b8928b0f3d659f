// kong/plugins/basic-auth/crypto.lua: a password is kept only as sha1(password .. consumer_id), hex.

import { createHash, timingSafeEqual } from 'node:crypto';

/** Hashes the password's bytes as given: a string as UTF-8 (the loader), a Buffer as the client sent it (the proxy). */
export function hashBasicAuthPassword(password: string | Buffer, consumerId: string): string {
  return createHash('sha1').update(password).update(consumerId, 'utf8').digest('hex');
}

/** Compares a stored hash with the hash of a given password without leaking how much of it matched. */
export function passwordMatches(storedHash: string, password: Buffer, consumerId: string): boolean {
  const given = Buffer.from(hashBasicAuthPassword(password, consumerId), 'utf8');
  const stored = Buffer.from(storedHash, 'utf8');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

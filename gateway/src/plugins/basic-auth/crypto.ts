// kong/plugins/basic-auth/crypto.lua: a password is kept only as sha1(password .. consumer_id), hex.

import { timingSafeEqual } from 'node:crypto';
import { hexDigest } from '../hex-digest.js';

/** Hashes the password's bytes as given: a string as UTF-8 (the loader), a Buffer as the client sent it (the proxy). */
export function hashBasicAuthPassword(password: string | Buffer, consumerId: string): string {
  return hexDigest('sha1', typeof password === 'string' ? `${password}${consumerId}` : Buffer.concat([password, Buffer.from(consumerId, 'utf8')]));
}

/** Compares a stored hash with the hash of a given password without leaking how much of it matched. */
export function passwordMatches(storedHash: string, password: Buffer, consumerId: string): boolean {
  const given = Buffer.from(hashBasicAuthPassword(password, consumerId), 'latin1');
  const stored = Buffer.from(storedHash, 'latin1');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

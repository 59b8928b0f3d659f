// A hex digest for the per-request hashes (basic-auth's password check, proxy-cache's cache key).
// crypto.hash (Node 20.12+) hashes in one call, without the Hash object createHash makes each time.

import * as crypto from 'node:crypto';

export type DigestAlgorithm = 'sha1' | 'sha256';

export const hexDigest: (algorithm: DigestAlgorithm, data: string | Buffer) => string =
  typeof crypto.hash === 'function'
    ? (algorithm, data) => crypto.hash(algorithm, data, 'hex')
    : (algorithm, data) => crypto.createHash(algorithm).update(data).digest('hex');

// Kong's $kong_request_id: 32 lower-case hex characters from 16 random bytes.
// Random bytes are drawn in blocks so the hot path does not call into crypto per request.

import { randomFillSync } from 'node:crypto';

const BLOCK_IDS = 256;
const block = Buffer.allocUnsafe(16 * BLOCK_IDS);
let next = BLOCK_IDS;

export function newRequestId(): string {
  if (next === BLOCK_IDS) {
    randomFillSync(block);
    next = 0;
  }
  const start = next * 16;
  next += 1;
  return block.toString('hex', start, start + 16);
}

// Kong's $kong_request_id: 32 lower-case hex characters from 16 random bytes.
// Random bytes are drawn and hex-encoded in blocks: per request, only a substring is taken.

import { randomFillSync } from 'node:crypto';

const BLOCK_IDS = 256;
const ID_LENGTH = 32;
const block = Buffer.allocUnsafe((ID_LENGTH / 2) * BLOCK_IDS);
let hexBlock = '';
let next = BLOCK_IDS;

export function newRequestId(): string {
  if (next === BLOCK_IDS) {
    randomFillSync(block);
    hexBlock = block.toString('hex');
    next = 0;
  }
  const start = next * ID_LENGTH;
  next += 1;
  return hexBlock.substring(start, start + ID_LENGTH);
}

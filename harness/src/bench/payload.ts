// The fixed upstream answer: a ~500-byte JSON document (httpbin's /json slideshow, padded), the
// same bytes whether nginx or the embedded server sends them.

import { SLIDESHOW } from '../upstream/httpbin/routes.js';

export const PAYLOAD_TARGET_BYTES = 500;

export function benchPayload(targetBytes = PAYLOAD_TARGET_BYTES): string {
  const document = { ...SLIDESHOW, padding: '' };
  const bare = Buffer.byteLength(JSON.stringify(document)) + 1; // + the trailing newline
  document.padding = '.'.repeat(Math.max(0, targetBytes - bare));
  return `${JSON.stringify(document)}\n`;
}

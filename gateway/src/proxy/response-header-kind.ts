// Recognises the upstream response header names the proxy treats specially straight from undici's
// raw Buffers, so the other names need neither a lower-cased copy nor a Set lookup per header.

// Plain numbers rather than an enum: under tsx each file is compiled alone, and an enum would be
// a property lookup per use.
export const PASS = 0;
export const HOP_BY_HOP_HEADER = 1;
export const CONTENT_TYPE = 2;
export const CONTENT_LENGTH = 3;
export const VIA = 4;
export const SERVER = 5;
export const DATE = 6;
export type ResponseHeaderKind = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * Case-insensitive compare of `name` with a lower-case ASCII `lower`. Header names are tokens
 * (undici rejects anything else), and for token bytes `b | 0x20` only folds upper-case letters.
 */
function isName(name: Buffer, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((name[i] | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** The hop-by-hop names are kong-headers.ts' HOP_BY_HOP; kept in step by a test. */
export function responseHeaderKind(name: Buffer): ResponseHeaderKind {
  switch (name.length) {
    case 2:
      return isName(name, 'te') ? HOP_BY_HOP_HEADER : PASS;
    case 3:
      return isName(name, 'via') ? VIA : PASS;
    case 4:
      return isName(name, 'date') ? DATE : PASS;
    case 6:
      return isName(name, 'server') ? SERVER : PASS;
    case 7:
      return isName(name, 'trailer') || isName(name, 'upgrade') ? HOP_BY_HOP_HEADER : PASS;
    case 10:
      return isName(name, 'connection') || isName(name, 'keep-alive') ? HOP_BY_HOP_HEADER : PASS;
    case 12:
      return isName(name, 'content-type') ? CONTENT_TYPE : PASS;
    case 14:
      return isName(name, 'content-length') ? CONTENT_LENGTH : PASS;
    case 16:
      return isName(name, 'proxy-connection') ? HOP_BY_HOP_HEADER : PASS;
    case 17:
      return isName(name, 'transfer-encoding') ? HOP_BY_HOP_HEADER : PASS;
    case 18:
      return isName(name, 'proxy-authenticate') ? HOP_BY_HOP_HEADER : PASS;
    default:
      return PASS;
  }
}

// Cross-origin writes to the Admin API. Kong answers `Access-Control-Allow-Origin: *` everywhere,
// and a browser sends a "simple" cross-origin POST (text/plain, a form) without asking first: any
// web page open on an attendee's laptop could replace the configuration through 127.0.0.1:8001.
// Reads keep Kong's headers; a write whose Origin is not loopback (nor allowed by
// KONG_ADMIN_ALLOWED_ORIGINS) is refused with a 403 before its body is read.

import { normalizeOrigin } from '../settings.js';
import { AdminHttpError } from './http.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false; // `null` (sandboxed frames, file://) and anything that is not an origin.
  }
}

/**
 * Null when the request may proceed, else the 403 to answer. `allowed` holds normalized origins,
 * or `*` to allow every origin (Kong's own behaviour).
 */
export function crossOriginWriteRefusal(method: string, origin: string | undefined, allowed: readonly string[]): AdminHttpError | null {
  if (READ_METHODS.has(method) || origin === undefined) return null;
  if (isLoopbackOrigin(origin) || allowed.includes('*')) return null;
  const normalized = normalizeOrigin(origin);
  if (normalized !== null && allowed.includes(normalized)) return null;
  const shown = origin.length > 200 ? `${origin.slice(0, 200)}…` : origin;
  return new AdminHttpError(
    403,
    {
      message: `cross-origin ${method} refused: Origin '${shown}' is not a loopback origin; a web page may not change this gateway. To allow it, set KONG_ADMIN_ALLOWED_ORIGINS=${normalized ?? '<origin>'}`,
    },
    { Connection: 'close' },
  );
}

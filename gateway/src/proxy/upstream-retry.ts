// When a failed upstream try is tried again, as Kong does: nginx's proxy_next_upstream default
// (`error timeout`) with Kong's `retries` as the extra tries its balancer allows.
// - Only failures before any response byte: after that, nothing valid can be sent again.
// - POST, PATCH and LOCK are never sent twice (nginx since 1.9.13), nor a streamed body.
// - A socket error on a reused keep-alive connection (the upstream closed it while the request was
//   on its way) does not count as a try (nginx's `u->peer.tries++` for cached peers); bounded here.

import { errorCodes } from './upstream-errors.js';

/** Errors of the connection itself, and timeouts: what `error timeout` covers. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);
/** Stale pooled connections are dropped as they fail; this only bounds a pool that keeps handing them out. */
export const MAX_UNCOUNTED_RETRIES = 16;

/**
 * Kong reads a request body whole before the first try (request_buffering), so any try can resend it.
 * Bodies here stream, except for a method a retry may resend with a known length up to `maxBytes`.
 */
export function holdBodyForRetries(method: string, contentLength: string | undefined, maxBytes: number): boolean {
  if (NON_IDEMPOTENT.has(method) || contentLength === undefined) return false;
  const length = Number(contentLength);
  return length > 0 && length <= maxBytes;
}

export interface FailedTry {
  error: unknown;
  method: string;
  /** The request began to go out on a connection (nginx's request_sent). */
  requestSent: boolean;
  /** That connection had carried an earlier request. */
  reusedConnection: boolean;
  /** The body can be sent again: none, or held in memory. */
  replayableBody: boolean;
  /** Counted retries already made, and the service's `retries`. */
  retriesUsed: number;
  retries: number;
  uncountedRetriesUsed: number;
}

export type RetryVerdict = 'uncounted' | 'counted' | 'none';

export function retryVerdict(failed: FailedTry): RetryVerdict {
  // undici's InformationalError ('aborted', 'reset') only wraps what happened.
  const code = errorCodes(failed.error).find((c) => c !== 'UND_ERR_INFO');
  if (code === undefined || !RETRYABLE_CODES.has(code)) return 'none';
  if (failed.requestSent && (NON_IDEMPOTENT.has(failed.method) || !failed.replayableBody)) return 'none';
  if (failed.requestSent && failed.reusedConnection && !TIMEOUT_CODES.has(code) && failed.uncountedRetriesUsed < MAX_UNCOUNTED_RETRIES) {
    return 'uncounted';
  }
  return failed.retriesUsed < failed.retries ? 'counted' : 'none';
}

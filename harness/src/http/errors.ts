// One error for every request that got no HTTP answer: what was being reached, where (credentials
// masked), and why, in words — "could not reach the gateway's Admin API at http://127.0.0.1:8001/status:
// connection refused".

import { seconds } from './timeouts.js';
import { LabkitError } from '../errors/labkit-error.js';

export type HttpFailure = 'refused' | 'connect-timeout' | 'timeout' | 'reset' | 'closed' | 'not-found' | 'aborted' | 'other';

export class HttpRequestError extends LabkitError {
  /** What was being reached: "the gateway's Admin API", "httpbin". */
  readonly target: string;
  /** The URL, credentials masked. */
  readonly url: string;
  readonly failure: HttpFailure;
  /** The cause in words: "connection refused", "no answer within 3 s". */
  readonly reason: string;

  constructor(target: string, url: string, failure: HttpFailure, reason: string) {
    super('REQUEST_FAILED', { problem: `could not reach ${target} at ${url}: ${reason}` });
    this.name = 'HttpRequestError';
    this.target = target;
    this.url = url;
    this.failure = failure;
    this.reason = reason;
  }
}

/** `http://user:secret@host` → `http://***@host`: URLs given on the command line may carry credentials. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** undici's and Node's failures as a reader would say them. */
export function describeFailure(error: unknown, timeouts: { connectMs: number; totalMs: number }): { failure: HttpFailure; reason: string } {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return { failure: 'refused', reason: 'connection refused' };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { failure: 'connect-timeout', reason: `no connection within ${seconds(timeouts.connectMs)}` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { failure: 'timeout', reason: `no complete answer within ${seconds(timeouts.totalMs)}` };
    case 'ECONNRESET':
      return { failure: 'reset', reason: 'the connection was reset' };
    case 'UND_ERR_SOCKET':
      return { failure: 'closed', reason: 'the server closed the connection before it answered' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { failure: 'not-found', reason: 'the host name does not resolve' };
    case 'EACCES':
      return { failure: 'other', reason: 'permission denied' };
    case 'ENOENT':
      return { failure: 'refused', reason: 'no such socket' };
    default:
      break;
  }
  if (err.name === 'TimeoutError') return { failure: 'timeout', reason: `no complete answer within ${seconds(timeouts.totalMs)}` };
  if (err.name === 'AbortError' || code === 'UND_ERR_ABORTED') return { failure: 'aborted', reason: 'the request was cancelled' };
  return { failure: 'other', reason: `${code ? `${code}: ` : ''}${err.message ?? String(error)}` };
}

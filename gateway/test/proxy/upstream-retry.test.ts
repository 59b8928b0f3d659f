import { describe, expect, it } from 'vitest';
import { errors } from 'undici';
import { holdBodyForRetries, MAX_UNCOUNTED_RETRIES, retryVerdict, type FailedTry } from '../../src/proxy/upstream-retry.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
const closed = new errors.SocketError('other side closed');

function failed(overrides: Partial<FailedTry>): FailedTry {
  return {
    error: refused,
    method: 'GET',
    requestSent: false,
    reusedConnection: false,
    replayableBody: true,
    retriesUsed: 0,
    retries: 5,
    uncountedRetriesUsed: 0,
    ...overrides,
  };
}

describe('retryVerdict (nginx proxy_next_upstream "error timeout" with Kong retries)', () => {
  it('counts failed connects and fresh-connection failures against retries', () => {
    expect(retryVerdict(failed({}))).toBe('counted');
    expect(retryVerdict(failed({ retriesUsed: 5 }))).toBe('none');
    expect(retryVerdict(failed({ error: closed, requestSent: true }))).toBe('counted');
    expect(retryVerdict(failed({ error: new errors.ConnectTimeoutError() }))).toBe('counted');
    expect(retryVerdict(failed({ error: new errors.HeadersTimeoutError(), requestSent: true }))).toBe('counted');
  });

  it('does not count a socket error on a reused connection, up to a bound', () => {
    const stale = failed({ error: closed, requestSent: true, reusedConnection: true, retries: 0 });
    expect(retryVerdict(stale)).toBe('uncounted');
    expect(retryVerdict({ ...stale, uncountedRetriesUsed: MAX_UNCOUNTED_RETRIES })).toBe('none');
    // A timeout on a reused connection is an ordinary try.
    expect(retryVerdict({ ...stale, error: new errors.HeadersTimeoutError() })).toBe('none');
  });

  it('never resends POST, PATCH or LOCK, nor a streamed body, once the request went out', () => {
    for (const method of ['POST', 'PATCH', 'LOCK']) {
      expect(retryVerdict(failed({ method, error: closed, requestSent: true, reusedConnection: true }))).toBe('none');
      expect(retryVerdict(failed({ method }))).toBe('counted');
    }
    expect(retryVerdict(failed({ method: 'PUT', error: closed, requestSent: true, replayableBody: false }))).toBe('none');
    expect(retryVerdict(failed({ method: 'PUT', replayableBody: false }))).toBe('counted');
  });

  it('does not retry what is not a connection failure', () => {
    expect(retryVerdict(failed({ error: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) }))).toBe('none');
    expect(retryVerdict(failed({ error: new errors.InvalidArgumentError('invalid x-consumer-username header') }))).toBe('none');
    expect(retryVerdict(failed({ error: new Error('no code') }))).toBe('none');
  });

  it('holds a body for retries only for methods a retry may resend, with a known length within the limit', () => {
    expect(holdBodyForRetries('PUT', '7', 100)).toBe(true);
    expect(holdBodyForRetries('POST', '7', 100)).toBe(false);
    expect(holdBodyForRetries('PUT', undefined, 100)).toBe(false);
    expect(holdBodyForRetries('PUT', '101', 100)).toBe(false);
    expect(holdBodyForRetries('DELETE', '0', 100)).toBe(false);
  });
});

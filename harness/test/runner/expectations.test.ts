import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../src/spec/lab-file.js';
import { evaluateExpectations, lookupPath } from '../../src/runner/expectations.js';
import type { ResponseRecord } from '../../src/runner/results.js';

function expectationsOf(yaml: string) {
  const lab = parseLabText(`title: t\nexplanation: e\nchecks:\n  - name: n\n    request: { path: /x }\n    expect:\n${yaml}`, 'lab.yaml');
  return lab.checks[0].expect!;
}

const kong401: ResponseRecord = {
  status: 401,
  statusText: 'Unauthorized',
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'content-length': '96',
    'www-authenticate': 'Key',
    'x-kong-request-id': 'a'.repeat(32),
    'ratelimit-reset': '37',
    'retry-after': '37',
  },
  bodyExcerpt: '',
  bodyBytes: 96,
  durationMs: 1,
};
const body401 = `{\n  "message":"No API key found in request",\n  "request_id":"${'a'.repeat(32)}"\n}`;

describe('evaluateExpectations', () => {
  it('passes when the response is as expected, with the line of each expectation', () => {
    const set = expectationsOf(
      [
        '      status: 401', // 7
        '      headers:',
        '        WWW-Authenticate: Key', // 9
        '        Content-Length: 96', // 10
        "        x-kong-request-id: { matches: '^[0-9a-f]{32}$' }",
        '        Via: { absent: true }',
        '        Content-Type: { present: true }',
        '        RateLimit-Reset: { between: [1, 60] }',
        '        Retry-After: { same_as_header: RateLimit-Reset }',
        '      json:',
        '        message: No API key found in request',
        '        request_id: { same_as_header: X-Kong-Request-Id }',
        '        missing.field: { absent: true }',
        '      text: { matches: request_id }',
        '',
      ].join('\n'),
    );
    const results = evaluateExpectations(set, kong401, body401, { upstreamKind: null });
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.map((result) => result.line)).toEqual([7, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20]);
    expect(results[0]).toMatchObject({ subject: 'status', expected: '401', actual: '401 Unauthorized' });
  });

  it('says what was expected and what came instead', () => {
    const set = expectationsOf(
      [
        '      status: 200',
        '      headers:',
        '        Content-Length: 81',
        '        Via: { matches: "^1\\\\.1 kong/" }',
        '        Content-Type: { absent: true }',
        '        RateLimit-Reset: { between: [1, 30] }',
        '      json:',
        '        message: Unauthorized',
        '        request_id: { same_as_header: X-Missing }',
        '',
      ].join('\n'),
    );
    const results = evaluateExpectations(set, kong401, body401, { upstreamKind: null });
    expect(results.map((r) => [r.ok, r.subject, r.expected, r.actual])).toEqual([
      [false, 'status', '200', '401 Unauthorized'],
      [false, 'header Content-Length', '81', '96'],
      [false, 'header Via', 'matches /^1\\.1 kong//', '(absent)'],
      [false, 'header Content-Type', '(absent)', 'application/json; charset=utf-8'],
      [false, 'header RateLimit-Reset', 'a number from 1 to 30', '37'],
      [false, 'body message', '"Unauthorized"', '"No API key found in request"'],
      [false, 'body request_id', 'same as X-Missing (which is absent)', `"${'a'.repeat(32)}"`],
    ]);
  });

  it('skips an expectation meant for another upstream', () => {
    const set = expectationsOf('      headers:\n        Server: { equals: gunicorn, when_upstream: debian-httpbin }\n');
    const response = { ...kong401, headers: { server: 'embedded-httpbin' } };
    const [skipped] = evaluateExpectations(set, response, '', { upstreamKind: 'embedded-httpbin' });
    expect(skipped).toMatchObject({ ok: true, skipped: 'only checked with the debian-httpbin upstream (this one: embedded-httpbin)' });
    const [checked] = evaluateExpectations(set, response, '', { upstreamKind: 'debian-httpbin' });
    expect(checked).toMatchObject({ ok: false, expected: 'gunicorn', actual: 'embedded-httpbin' });
  });

  it('fails JSON expectations on a body that is not JSON', () => {
    const set = expectationsOf('      json:\n        args.apikey: { absent: true }\n');
    const [result] = evaluateExpectations(set, kong401, '', { upstreamKind: null });
    expect(result).toMatchObject({ ok: false, actual: 'an empty body' });
    const [other] = evaluateExpectations(set, kong401, '<html>', { upstreamKind: null });
    expect(other).toMatchObject({ ok: false, actual: 'a body that is not JSON: "<html>"' });
  });

  it('fails everything when there is no response', () => {
    const set = expectationsOf('      status: 200\n      headers:\n        Via: { absent: true }\n');
    expect(evaluateExpectations(set, null, '', { upstreamKind: null }).map((r) => [r.ok, r.actual])).toEqual([
      [false, '(no response)'],
      [false, '(no response)'],
    ]);
  });

  it('counts down across a burst', () => {
    const lab = parseLabText(
      'title: t\nexplanation: e\nchecks:\n  - name: n\n    request: { path: /x }\n    burst:\n      allowed: 2\n' +
        '      expect_allowed: { headers: { RateLimit-Remaining: { countdown_from: 1 } } }\n      expect_blocked: { status: 429 }\n',
      'lab.yaml',
    );
    const set = lab.checks[0].burst!.expectAllowed;
    const response = (remaining: string): ResponseRecord => ({ ...kong401, headers: { 'ratelimit-remaining': remaining } });
    expect(evaluateExpectations(set, response('1'), '', { upstreamKind: null, countdownIndex: 0 })[0].ok).toBe(true);
    expect(evaluateExpectations(set, response('0'), '', { upstreamKind: null, countdownIndex: 1 })[0].ok).toBe(true);
    expect(evaluateExpectations(set, response('1'), '', { upstreamKind: null, countdownIndex: 1 })[0]).toMatchObject({ ok: false, expected: '0', actual: '1' });
  });
});

describe('lookupPath', () => {
  it('walks objects and arrays by dotted path', () => {
    const value = { headers: { 'X-Consumer-Username': 'consumer1' }, items: [{ name: 'a' }], nothing: null };
    expect(lookupPath(value, 'headers.X-Consumer-Username')).toEqual({ present: true, value: 'consumer1' });
    expect(lookupPath(value, 'items.0.name')).toEqual({ present: true, value: 'a' });
    expect(lookupPath(value, 'nothing')).toEqual({ present: true, value: null });
    expect(lookupPath(value, 'headers.Apikey')).toEqual({ present: false, value: undefined });
    expect(lookupPath(value, 'items.1')).toEqual({ present: false, value: undefined });
  });
});

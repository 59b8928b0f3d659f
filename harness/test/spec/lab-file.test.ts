import { describe, expect, it } from 'vitest';
import { LabSpecError, type SpecIssue } from '../../src/spec/errors.js';
import { parseLabText } from '../../src/spec/lab-file.js';

function issuesOf(text: string): SpecIssue[] {
  try {
    parseLabText(text, 'labs/99-test/lab.yaml');
  } catch (error) {
    if (error instanceof LabSpecError) return error.issues;
    throw error;
  }
  throw new Error('expected the lab file to be rejected');
}

const header = 'title: A lab\nexplanation: Why.\nchecks:\n';

describe('parseLabText: valid files', () => {
  it('normalises a check: method, headers, query, expectations with positions', () => {
    const lab = parseLabText(
      header +
        [
          '  - name: consumer1 gets in', //                    4
          '    request:', //                                   5
          '      path: /key-auth-route/get', //                6
          '      headers:', //                                 7
          '        apikey: "123456"', //                       8
          '      query:', //                                   9
          '        page: "2"', //                              10
          '        tag: ["a", "b"]', //                        11
          '    retry_until: { timeout_ms: 5000 }', //          12
          '    expect:', //                                    13
          '      status: 200', //                              14
          '      headers:', //                                 15
          '        Content-Length: 96', //                     16
          "        Via: { matches: '^1\\.1 kong/' }", //       17
          '        Server: { equals: gunicorn, when_upstream: debian-httpbin }', // 18
          '        Retry-After: { absent: true }', //          19
          '        RateLimit-Reset: { between: [1, 60] }', //  20
          '      json:', //                                    21
          '        headers.X-Consumer-Username: consumer1', // 22
          '        request_id: { same_as_header: X-Kong-Request-Id }', // 23
          '      text: { matches: consumer1 }', //             24
          '',
        ].join('\n'),
      'labs/99-test/lab.yaml',
    );
    expect(lab.declaration).toBe('key-auth.yaml');
    const check = lab.checks[0];
    expect(check.name).toBe('consumer1 gets in');
    expect(check.position).toEqual({ file: 'labs/99-test/lab.yaml', line: 4, column: 5 });
    expect(check.request).toMatchObject({
      method: 'GET',
      path: '/key-auth-route/get',
      headers: [['apikey', '123456']],
      query: [['page', '2'], ['tag', 'a'], ['tag', 'b']],
    });
    expect(check.retryUntil).toMatchObject({ timeoutMs: 5000, intervalMs: 250 });
    const expectations = check.expect!.expectations;
    expect(expectations.map((e) => [e.subject, e.name ?? null, e.matcher.kind, e.position.line])).toEqual([
      ['status', null, 'equals', 14],
      ['header', 'Content-Length', 'equals', 16],
      ['header', 'Via', 'matches', 17],
      ['header', 'Server', 'equals', 18],
      ['header', 'Retry-After', 'absent', 19],
      ['header', 'RateLimit-Reset', 'between', 20],
      ['json', 'headers.X-Consumer-Username', 'equals', 22],
      ['json', 'request_id', 'same-as-header', 23],
      ['text', null, 'matches', 24],
    ]);
    expect(expectations[3]).toMatchObject({ whenUpstream: 'debian-httpbin', matcher: { kind: 'equals', value: 'gunicorn' } });
    expect(expectations[5].matcher).toEqual({ kind: 'between', min: 1, max: 60 });
  });

  it('defaults the method to POST when there is a body, and reads every body kind', () => {
    const lab = parseLabText(
      header +
        '  - { name: form, request: { path: /p, body: { form: { apikey: "1" } } }, expect: { status: 200 } }\n' +
        '  - { name: json, request: { path: /p, method: PUT, body: { json: { apikey: "1" } } }, expect: { status: 200 } }\n' +
        '  - { name: raw, request: { path: /p, body: { raw: "apikey=1", content_type: text/x } }, expect: { status: 200 } }\n',
      'lab.yaml',
    );
    expect(lab.checks.map((check) => [check.request.method, check.request.body])).toEqual([
      ['POST', { kind: 'form', fields: [['apikey', '1']] }],
      ['PUT', { kind: 'json', value: { apikey: '1' } }],
      ['POST', { kind: 'raw', text: 'apikey=1', contentType: 'text/x' }],
    ]);
  });

  it('reads a burst with its defaults', () => {
    const lab = parseLabText(
      header +
        [
          '  - name: burst',
          '    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "123456" } }',
          '    burst:',
          '      allowed: 5',
          '      expect_allowed:',
          '        headers: { X-RateLimit-Remaining-Minute: { countdown_from: 4 } }',
          '      expect_blocked: { status: 429 }',
          '',
        ].join('\n'),
      'lab.yaml',
    );
    const burst = lab.checks[0].burst!;
    expect(burst.allowed).toBe(5);
    expect(burst.reserveSeconds).toBe(5);
    expect(burst.expectAllowed.expectations[0].matcher).toEqual({ kind: 'countdown', from: 4 });
    expect(burst.expectBlocked.expectations[0]).toMatchObject({ subject: 'status', matcher: { kind: 'equals', value: 429 } });
  });
});

describe('parseLabText: mistakes are reported at file:line:column with what was expected', () => {
  it('a key written as a number', () => {
    const [issue] = issuesOf(header + '  - name: x\n    request:\n      path: /x\n      headers:\n        apikey: 123456\n    expect: { status: 200 }\n');
    expect(issue.position).toEqual({ file: 'labs/99-test/lab.yaml', line: 8, column: 17 });
    expect(issue.path).toBe('checks[0].request.headers.apikey');
    expect(issue.message).toBe('expected a string, got the number 123456 (quote it: "123456")');
  });

  it('an unknown field, with a suggestion', () => {
    const issues = issuesOf(header + '  - name: x\n    request: { path: /x }\n    expct: { status: 200 }\n');
    const issue = issues.find((candidate) => candidate.path === 'checks[0].expct')!;
    expect(issue.position).toMatchObject({ line: 6, column: 5 });
    expect(issue.message).toMatch(/^unknown field "expct" \(did you mean "expect"\?\); expected one of: name, request, expect, burst, retry_until$/);
  });

  it('a missing required field points at the mapping that lacks it', () => {
    const issues = issuesOf('title: A lab\nchecks:\n  - name: x\n    request: { path: /x }\n    expect: { status: 200 }\n');
    expect(issues).toEqual([{ position: { file: 'labs/99-test/lab.yaml', line: 1, column: 1 }, path: '', message: 'missing required field "explanation"' }]);
  });

  it('a status written as a string, and a method in lower case', () => {
    const issues = issuesOf(header + '  - name: x\n    request: { path: /x, method: get }\n    expect: { status: "200" }\n');
    expect(issues.map((issue) => `${issue.position.line}:${issue.position.column} ${issue.message}`)).toEqual([
      '5:34 expected one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", got the string "get"',
      '6:23 expected a whole number, got the string "200"',
    ]);
  });

  it('expect and burst together, and retry_until on a burst', () => {
    const issues = issuesOf(
      header +
        '  - name: x\n    request: { path: /x }\n    expect: { status: 200 }\n' +
        '    burst: { allowed: 1, expect_allowed: { status: 200 }, expect_blocked: { status: 429 } }\n' +
        '    retry_until: { timeout_ms: 1000 }\n',
    );
    expect(issues.map((issue) => [issue.position.line, issue.message])).toEqual([
      [7, 'use only one of "expect" and "burst" here'],
      [8, '"retry_until" cannot be used together with "burst"'],
    ]);
  });

  it('a check with neither expect nor burst', () => {
    const [issue] = issuesOf(header + '  - name: x\n    request: { path: /x }\n');
    expect(issue).toMatchObject({ path: 'checks[0]', message: 'expected one of the fields expect, burst', position: { line: 4 } });
  });

  it('a matcher with a misspelt or a second keyword', () => {
    const issues = issuesOf(header + "  - name: x\n    request: { path: /x }\n    expect:\n      headers:\n        Via: { matchs: '^1' }\n        Server: { equals: a, matches: b }\n");
    expect(issues.map((issue) => [issue.position.line, issue.message])).toEqual([
      [8, 'expected one of the fields equals, matches, absent, present, between, same_as_header, countdown_from, excludes'],
      [8, expect.stringMatching(/^unknown field "matchs" \(did you mean "matches"\?\)/)],
      [9, 'use only one of "equals" and "matches" here'],
    ]);
  });

  it('a regular expression that does not compile', () => {
    const [issue] = issuesOf(header + "  - name: x\n    request: { path: /x }\n    expect:\n      headers:\n        Via: { matches: '(' }\n");
    expect(issue).toMatchObject({ position: { line: 8, column: 25 }, message: expect.stringMatching(/^expected a regular expression: /) });
  });

  it('a path with a query string', () => {
    const [issue] = issuesOf(header + '  - name: x\n    request: { path: "/x?apikey=1" }\n    expect: { status: 200 }\n');
    expect(issue.message).toMatch(/^"\/x\?apikey=1" does not have the expected form .*Put query parameters under `query`/);
  });

  it('countdown_from outside a burst (a rule beyond the schema)', () => {
    const [issue] = issuesOf(header + '  - name: x\n    request: { path: /x }\n    expect:\n      headers:\n        X-RateLimit-Remaining-Minute: { countdown_from: 4 }\n');
    expect(issue).toMatchObject({ position: { line: 8, column: 41 }, message: expect.stringMatching(/^countdown_from is only meaningful in burst.expect_allowed/) });
  });

  it('a range written backwards (a rule beyond the schema)', () => {
    const [issue] = issuesOf(header + '  - name: x\n    request: { path: /x }\n    expect:\n      headers:\n        RateLimit-Reset: { between: [60, 1] }\n');
    expect(issue.message).toBe('between: the minimum 60 is above the maximum 1; write [min, max]');
  });

  it('the error lists every problem at its place, with the code LAB_FILE_INVALID (exit 2) and where the format is described', () => {
    let error: LabSpecError | undefined;
    try {
      parseLabText('title: 1\nexplanation: x\nchecks: []\n', 'labs/99-test/lab.yaml');
    } catch (caught) {
      error = caught as LabSpecError;
    }
    expect(error).toBeInstanceOf(LabSpecError);
    expect(error).toMatchObject({ code: 'LAB_FILE_INVALID', exitCode: 2, location: { file: 'labs/99-test/lab.yaml', line: 1, column: 8 } });
    expect(error!.message.split('\n')).toEqual([
      'labs/99-test/lab.yaml:1:8: title: expected a string, got the number 1 (quote it: "1")',
      'labs/99-test/lab.yaml:3:9: checks: expected at least 1 item, got 0',
    ]);
    expect(error!.also).toEqual([{ problem: 'checks: expected at least 1 item, got 0', location: { file: 'labs/99-test/lab.yaml', line: 3, column: 9 } }]);
    expect(error!.fix).toMatch(/labs\/README\.md/);
  });
});

describe('parseLabText: redis: stop|start steps between checks', () => {
  const redisHeader = 'title: A lab\nexplanation: Why.\nnodes: 3\nredis: true\nchecks:\n';
  const check = (name: string) => `  - name: ${name}\n    request: { path: /x }\n    expect: { status: 200 }\n`;

  it('keeps the checks apart and places each step before the check that follows it', () => {
    const lab = parseLabText(redisHeader + check('a') + '  - redis: stop\n' + check('b') + '  - name: back again\n    redis: start\n', 'labs/99-test/lab.yaml');
    expect(lab.checks.map((c) => c.name)).toEqual(['a', 'b']);
    expect(lab.steps).toEqual([
      { kind: 'redis', action: 'stop', name: 'Redis stopped', beforeCheck: 1, position: { file: 'labs/99-test/lab.yaml', line: 9, column: 5 } },
      { kind: 'redis', action: 'start', name: 'back again', beforeCheck: 2, position: { file: 'labs/99-test/lab.yaml', line: 13, column: 5 } },
    ]);
  });

  it('a lab without steps has none', () => {
    expect(parseLabText(redisHeader + check('a'), 'labs/99-test/lab.yaml').steps).toEqual([]);
  });

  it('an unknown action is reported at its file:line:column with the two there are', () => {
    const issues = issuesOf(redisHeader + check('a') + '  - redis: pause\n');
    expect(issues).toEqual([
      { position: { file: 'labs/99-test/lab.yaml', line: 9, column: 12 }, path: 'checks[1].redis', message: 'expected one of "stop", "start", got the string "pause"' },
    ]);
  });

  it("a step with a check's fields is a step with unknown fields, not a check", () => {
    const [issue] = issuesOf(redisHeader + check('a') + '  - redis: stop\n    request: { path: /x }\n');
    expect(issue).toMatchObject({ path: 'checks[1].request', position: { line: 10, column: 5 }, message: expect.stringMatching(/^unknown field "request"; expected one of: name, redis$/) });
  });

  it('a step in a lab that does not ask for a Redis (a rule beyond the schema)', () => {
    const issues = issuesOf(header + check('a') + '  - redis: stop\n');
    expect(issues).toEqual([
      { position: { file: 'labs/99-test/lab.yaml', line: 7, column: 5 }, path: 'checks[1].redis', message: 'redis: stop needs a Redis to stop: add `redis: true` at the top of the lab' },
    ]);
  });

  it('a lab of steps only', () => {
    const [issue] = issuesOf(redisHeader + '  - redis: stop\n  - redis: start\n');
    expect(issue).toMatchObject({ path: 'checks', message: 'a lab needs at least one check (a request), not only environment steps' });
  });
});

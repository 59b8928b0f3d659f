// tcp_log / tcp_log_text expectations: fields of the logged line by dotted path, `excludes` on its text,
// and `absent` that only passes when a sink was running and no line came.

import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../src/spec/lab-file.js';
import { LabSpecError } from '../../src/spec/errors.js';
import { evaluateExpectations, type TcpLogLine } from '../../src/runner/expectations.js';
import type { ResponseRecord } from '../../src/runner/results.js';

function expectationsOf(yaml: string) {
  const lab = parseLabText(`title: t\nexplanation: e\nchecks:\n  - name: n\n    request: { path: /x }\n    expect:\n${yaml}`, 'lab.yaml');
  return lab.checks[0].expect!;
}

const ok200: ResponseRecord = {
  status: 200,
  statusText: 'OK',
  headers: { 'x-kong-request-id': 'b'.repeat(32) },
  bodyExcerpt: '',
  bodyBytes: 0,
  durationMs: 1,
};

const logged = { request: { id: 'b'.repeat(32), headers: { apikey: 'REDACTED' } }, response: { status: 200 }, consumer: { username: 'consumer2' } };
const line: TcpLogLine = { raw: JSON.stringify(logged), json: logged };

const set = () =>
  expectationsOf(
    [
      '      status: 200',
      '      tcp_log:',
      '        response.status: 200',
      '        consumer.username: consumer2',
      '        request.id: { same_as_header: X-Kong-Request-Id }',
      '        request.headers.apikey: REDACTED',
      '      tcp_log_text: { excludes: "987654" }',
      '',
    ].join('\n'),
  );

describe('tcp_log expectations', () => {
  it('pass on the line the request produced', () => {
    const results = evaluateExpectations(set(), ok200, '', { upstreamKind: null, tcpLogLine: line });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.subject)).toContain('tcp-log consumer.username');
  });

  it('fail when a field differs, when the key is in the line, and when no line came', () => {
    const leaky = { ...logged, consumer: { username: 'consumer1' }, request: { ...logged.request, headers: { apikey: '987654' } } };
    const failed = evaluateExpectations(set(), ok200, '', { upstreamKind: null, tcpLogLine: { raw: JSON.stringify(leaky), json: leaky } })
      .filter((r) => !r.ok)
      .map((r) => r.subject);
    expect(failed).toEqual(['tcp-log consumer.username', 'tcp-log request.headers.apikey', 'tcp-log line']);
    const none = evaluateExpectations(set(), ok200, '', { upstreamKind: null, tcpLogLine: { missing: 'no line within 3 s', sinkRunning: true } });
    expect(none.filter((r) => r.subject.startsWith('tcp-log')).every((r) => !r.ok)).toBe(true);
  });

  it('absent passes only when a sink was running and received nothing', () => {
    const absent = expectationsOf('      tcp_log_text: { absent: true }\n');
    const evaluate = (tcpLogLine: TcpLogLine) => evaluateExpectations(absent, ok200, '', { upstreamKind: null, tcpLogLine })[0].ok;
    expect(evaluate({ missing: 'no line within 3 s', sinkRunning: true })).toBe(true);
    expect(evaluate({ missing: 'this environment runs no tcp-log sink', sinkRunning: false })).toBe(false);
    expect(evaluate(line)).toBe(false);
  });

  it('are refused inside a burst, with the place', () => {
    const text = [
      'title: t',
      'explanation: e',
      'checks:',
      '  - name: n',
      '    request: { path: /x }',
      '    burst:',
      '      allowed: 2',
      '      expect_allowed: { status: 200, tcp_log: { response.status: 200 } }',
      '      expect_blocked: { status: 429 }',
      '',
    ].join('\n');
    expect(() => parseLabText(text, 'lab.yaml')).toThrow(LabSpecError);
    try {
      parseLabText(text, 'lab.yaml');
    } catch (error) {
      expect(String((error as Error).message)).toMatch(/lab\.yaml:8:\d+: .*tcp_log is only read for a single request/);
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabText } from '../../src/spec/lab-file.js';
import { runLab } from '../../src/runner/run-lab.js';
import type { LabResult } from '../../src/runner/results.js';
import { errorRecord, LabkitError } from '../../src/errors/labkit-error.js';
import { colorEnabled, palette } from '../../src/terminal/color.js';
import { formatCheckResult, formatFailedChecks, formatLabResult, formatResponse, formatRunSummary, headerSpelling } from '../../src/report/terminal.js';
import { junitDocument, toJUnitXml, writeJUnitFile } from '../../src/report/junit.js';
import { junitXml } from '../../src/docs/junit.js';
import type { PageVerdict } from '../../src/docs/verdicts.js';
import { formatSyncForPeople } from '../../src/report/sync.js';
import { JSON_REPORT_FORMAT, formatJsonReport } from '../../src/report/json.js';
import { startFakeGateway, VirtualClock, type FakeGateway } from '../runner/fake-gateway.js';

const LAB = parseLabText(
  `title: consumer1 created
explanation: >
  consumer1 owns the key 123456.
checks:
  - name: consumer1's key opens the route
    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "123456" } }
    expect:
      status: 200
      headers:
        Via: { matches: '^1\\.1 kong/' }
        Server: { equals: gunicorn, when_upstream: debian-httpbin }
  - name: a wrong key gets 401 <"&">
    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "12" } }
    expect:
      status: 401
      headers:
        Content-Length: 96
  - name: burst
    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "987654" } }
    burst:
      allowed: 5
      expect_allowed:
        status: 200
        headers:
          X-RateLimit-Remaining-Minute: { countdown_from: 4 }
      expect_blocked:
        status: 429
`,
  'labs/03-consumer1/lab.yaml',
);

let gateway: FakeGateway;
let result: LabResult;

beforeAll(async () => {
  const clock = new VirtualClock();
  gateway = await startFakeGateway({ clock, limit: 5 });
  result = await runLab({ ...LAB, id: '03-consumer1', number: 3, slug: 'consumer1', dir: '/x', declarationPath: '/x/key-auth.yaml' }, { proxyUrl: gateway.url, upstream: { kind: 'embedded-httpbin' } }, { clock, counters: 'cleared' });
});
afterAll(() => gateway.close());

describe('terminal view', () => {
  it('shows each request as curl, the status line, the headers that matter and ✓/✗ with positions', () => {
    const text = formatLabResult({ ...LAB, number: 3, id: '03-consumer1' }, result, { color: false, verbose: true, width: 200 });
    expect(text).not.toMatch(/\u001b\[/);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Lab 3 · consumer1 created  (labs/03-consumer1/lab.yaml)');
    expect(lines).toContain(`    $ curl --head ${gateway.url}/key-auth-route/get -H 'apikey:123456'`);
    expect(lines).toContain('    HTTP/1.1 200 OK');
    expect(lines).toContain('    Via: 1.1 kong/3.11.0.0-enterprise-edition');
    expect(lines).toContain('      ✓ status: 200  labs/03-consumer1/lab.yaml:8');
    expect(lines).toContain('      ✓ header Via: matches /^1\\.1 kong// (got 1.1 kong/3.11.0.0-enterprise-edition)  labs/03-consumer1/lab.yaml:10');
    expect(lines).toContain('      – header Server: skipped, only checked with the debian-httpbin upstream (this one: embedded-httpbin)');
    expect(lines).toContain('✗ a wrong key gets 401 <"&">  labs/03-consumer1/lab.yaml:12');
    expect(lines).toContain('      ✗ header Content-Length: expected 96, got 81  labs/03-consumer1/lab.yaml:17');
    expect(lines).toContain('      ✓ header X-RateLimit-Remaining-Minute: 4, 3, 2, 1, 0 (requests 1–5)  labs/03-consumer1/lab.yaml:25');
    expect(lines).toContain('      ✓ request 6: status: 429  labs/03-consumer1/lab.yaml:27');
    expect(lines).toContain('    request 6 of 6 (blocked)  HTTP/1.1 429 Too Many Requests  X-RateLimit-Remaining-Minute: 0');
    expect(lines.at(-2)).toMatch(/^Lab 3 failed: 2 of 3 checks · \d+\.\d s$/);
  });

  it('by default a passed check is one line; a failed one shows its request, answer and expectations; all within the width', () => {
    const text = formatLabResult({ ...LAB, number: 3, id: '03-consumer1' }, result, { color: false, width: 60 });
    const lines = text.split('\n');
    expect(lines).toContain("✓ consumer1's key opens the route  → 200 OK");
    expect(text).not.toContain('      ✓ status: 200  labs/03-consumer1/lab.yaml:8');
    expect(lines).toContain('✗ a wrong key gets 401 <"&">  labs/03-consumer1/lab.yaml:12');
    expect(text).toMatch(/ {6}✗ header Content-Length: expected 96, got 81\n\s+labs\/03-consumer1\/lab\.yaml:17/);
    // The curl command is folded with shell continuations, so that it still pastes.
    expect(text).toMatch(/ {4}\$ curl --head( http:\/\/\S+)? \\\n( {8}http:\/\/\S+ \\\n)? {8}-H 'apikey:12'\n/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
  });

  it('repeats the failed checks after the run, with the expectations that failed', () => {
    const repeated = formatFailedChecks([result], { color: false, width: 200 });
    expect(repeated.split('\n')[0]).toBe('Failed:');
    expect(repeated).toContain('✗ Lab 3 · a wrong key gets 401 <"&">  labs/03-consumer1/lab.yaml:12');
    expect(repeated).toContain('    ✗ header Content-Length: expected 96, got 81  labs/03-consumer1/lab.yaml:17');
    expect(repeated).not.toContain("consumer1's key opens the route");
    expect(formatFailedChecks([{ ...result, passed: true, checks: result.checks.filter((check) => check.passed) }], { color: false })).toBe('');
  });

  it('shows the answer as curl -i prints it: every header, a blank line, the body pretty when JSON, long lines folded not cut', () => {
    const body = JSON.stringify({ headers: { Apikey: '123456', 'X-Long': 'x'.repeat(150) }, url: 'http://httpbin/get' });
    const response = {
      status: 200, statusText: 'OK', bodyExcerpt: body, bodyBytes: body.length, durationMs: 1,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Key', 'x-ratelimit-remaining-minute': '4', 'x-kong-request-id': 'abc', etag: 'W/"1"' },
    };
    const lines = formatResponse(response, 'GET', [], palette(false), 60);
    expect(lines.slice(0, 8)).toEqual([
      '    HTTP/1.1 200 OK',
      '    Content-Type: application/json',
      '    WWW-Authenticate: Key',
      '    X-RateLimit-Remaining-Minute: 4',
      '    X-Kong-Request-Id: abc',
      '    ETag: W/"1"',
      '',
      '    {',
    ]);
    expect(lines).toContain('        "Apikey": "123456",');
    // The 150 x's are folded across lines at the width, all of them shown.
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(lines.join('').replace(/\s/g, '')).toContain(`"X-Long":"${'x'.repeat(150)}"`);
    // HEAD has no body; the runner's excerpt of a larger body is marked and counted.
    expect(formatResponse(response, 'HEAD', [], palette(false), 60)).toHaveLength(6);
    const cut = formatResponse({ ...response, bodyExcerpt: 'plain text…', bodyBytes: 5000 }, 'GET', [], palette(false), 60);
    expect(cut.slice(-2)).toEqual(['    plain text', '    … (5000 bytes in all)']);
    // Headers as the server sent them, when the record has them: order, spelling, repeats.
    const raw = formatResponse({ ...response, rawHeaders: [['x-lower', '1'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']] }, 'HEAD', [], palette(false), 60);
    expect(raw).toEqual(['    HTTP/1.1 200 OK', '    x-lower: 1', '    Set-Cookie: a=1', '    Set-Cookie: b=2']);
    expect(headerSpelling('x-kong-upstream-latency')).toBe('X-Kong-Upstream-Latency');
    expect(headerSpelling('ratelimit-reset')).toBe('RateLimit-Reset');
  });

  it("marks decK's key-auth tail as a tail", () => {
    const report = {
      changes: [
        { action: 'creating' as const, kind: 'consumer', name: 'consumer1', line: 'creating consumer consumer1', body: { old: null, new: null } },
        { action: 'creating' as const, kind: 'key-auth', name: '23456 for consumer consumer1', line: 'creating key-auth 23456 for consumer consumer1', body: { old: null, new: null } },
      ],
      summary: { created: 2, updated: 0, deleted: 0 },
      counters: 'cleared' as const,
      configurationHash: 'h',
    };
    expect(formatSyncForPeople(report).split('\n').slice(0, 2)).toEqual(['creating consumer consumer1', 'creating key-auth …23456 for consumer consumer1']);
  });

  it('colours only when asked', () => {
    expect(formatCheckResult(result.checks[1], { color: true })).toMatch(/\u001b\[31m✗\u001b\[39m/);
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
  });

  it('summarises several labs', () => {
    const text = formatRunSummary([result, { ...result, lab: { ...result.lab, number: 4, id: '04-consumer2' }, passed: true, checks: result.checks.slice(0, 1) }], { color: false });
    expect(text).toContain('  ✗  3  03-consumer1                 2/3 checks');
    expect(text).toContain('  ✓  4  04-consumer2                 1/1 checks');
    expect(text).toMatch(/1 of 2 labs failed · 3 of 4 checks passed/);
  });
});

describe('JUnit XML', () => {
  it('has one testsuite per lab and one testcase per check, failures with curl and expected vs actual', () => {
    const xml = toJUnitXml([result], { timestamp: new Date('2025-08-11T14:44:59Z') });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="labs" tests="3" failures="1" errors="0" skipped="0" time="\d+\.\d{3}">/);
    expect(xml).toContain('<testsuite name="03-consumer1: consumer1 created" tests="3" failures="1" errors="0" skipped="0"');
    expect(xml).toContain('timestamp="2025-08-11T14:44:59"');
    expect(xml).toMatch(/<testcase classname="labs\.03-consumer1" name="consumer1&apos;s key opens the route|<testcase classname="labs\.03-consumer1" name="consumer1's key opens the route" time="\d+\.\d{3}" file="labs\/03-consumer1\/lab.yaml" line="5"\/>/);
    expect(xml).toContain('name="a wrong key gets 401 &lt;&quot;&amp;&quot;&gt;"');
    expect(xml).toContain('<failure message="header Content-Length: expected 96, got 81" type="expectation">');
    expect(xml).toContain(`$ curl --head ${gateway.url}/key-auth-route/get -H 'apikey:12'\nHTTP/1.1 401 Unauthorized\nlabs/03-consumer1/lab.yaml:17: header Content-Length: expected 96, got 81</failure>`);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('reports a lab that could not run as an error of its code, at the file and line of the error, with the rendered error as its text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-lab-error-'));
    const declaration = join(dir, 'key-auth.yaml');
    writeFileSync(declaration, '_format_version: "3.0"\nservices:\n  - name: s\n    prots: 80\n');
    const error = errorRecord(new LabkitError('DECLARATION_REJECTED', { problem: 'service s: prots: unknown field (did you mean "port"?)', location: { file: declaration, line: 4, column: 5 }, notes: ['lab 3 could not run'] }));
    const xml = toJUnitXml([{ ...result, checks: [], passed: false, error }]);
    rmSync(dir, { recursive: true, force: true });
    expect(xml).toContain('tests="1" failures="0" errors="1" skipped="0"');
    expect(xml).toContain(`<testcase classname="labs.03-consumer1" name="sync the lab's declaration" time="0.000" file="${declaration}" line="4">`);
    expect(xml).toContain(`<error message="${declaration}:4:5: service s: prots: unknown field (did you mean &quot;port&quot;?)" type="DECLARATION_REJECTED">`);
    expect(xml).toContain(`error[DECLARATION_REJECTED]: service s: prots: unknown field (did you mean "port"?)\n --&gt; ${declaration}:4:5\n  |\n4 |     prots: 80\n  |     ^\n  |\n  = note: lab 3 could not run\n  = fix: fix the declaration and sync again</error>`);
  });

  it('repeats a lab that could not run among the failures: its code, problem and where', () => {
    const error = errorRecord(new LabkitError('LAB_STEP_FAILED', { problem: 'redis: stop could not be done: no Redis', location: { file: 'labs/17-x/lab.yaml', line: 9, column: 5 } }));
    expect(formatFailedChecks([{ ...result, checks: [], passed: false, error }], { color: false, width: 200 })).toBe(
      'Failed:\n✗ Lab 3: error[LAB_STEP_FAILED]: redis: stop could not be done: no Redis\n    --> labs/17-x/lab.yaml:9:5\n',
    );
  });
});

describe('the one JUnit writer', () => {
  it('escapes text and attributes one way, drops what XML cannot carry, and counts from the cases', () => {
    const xml = junitDocument('n<&>"', [
      {
        name: 'suite "1"',
        durationMs: 1500,
        cases: [
          { classname: 'c', name: 'ok' },
          { classname: 'c', name: 'bad\u0007 <one>', failure: { message: 'line 1\nline "2"\ttab', type: 'drift', detail: 'a < b && c > d\u0000' } },
          { classname: 'c', name: 'later', skipped: 'needs <Kubernetes> & "helm"' },
          { classname: 'c', name: 'broken', error: { message: 'no', type: 'page' } },
        ],
      },
    ]);
    expect(xml).toContain('<testsuites name="n&lt;&amp;&gt;&quot;" tests="4" failures="1" errors="1" skipped="1" time="1.500">');
    expect(xml).toContain('<testsuite name="suite &quot;1&quot;" tests="4" failures="1" errors="1" skipped="1" time="1.500">');
    expect(xml).toContain('<testcase classname="c" name="ok" time="0.000"/>');
    expect(xml).toContain('name="bad &lt;one&gt;"');
    expect(xml).toContain('<failure message="line 1&#10;line &quot;2&quot;&#9;tab" type="drift">a &lt; b &amp;&amp; c &gt; d</failure>');
    expect(xml).toContain('<skipped message="needs &lt;Kubernetes&gt; &amp; &quot;helm&quot;"/>');
    expect(xml).toContain('<error message="no" type="page"/>');
    expect(xml).not.toMatch(/[\u0000\u0007]/);
  });

  it('writes verify-docs verdicts too: a known drift is <skipped message=…>', () => {
    const page: PageVerdict = { file: 'content/p.md', status: 'skipped', passed: false, skipReason: 'needs "helm" & <kubectl>', steps: [], unmetExpectations: [], durationMs: 0 };
    expect(junitXml([page])).toContain('<testcase classname="content/p.md" name="page" time="0.000">\n      <skipped message="needs &quot;helm&quot; &amp; &lt;kubectl&gt;"/>');
  });

  it('writes into folders that do not exist yet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    try {
      const file = join(dir, 'reports', 'ci', 'labs.xml');
      writeJUnitFile(file, toJUnitXml([result]));
      expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a lab skipped here as skipped, with the reason', () => {
    const xml = toJUnitXml([{ ...result, checks: [], passed: false, skipped: 'needs a Redis' }]);
    expect(xml).toContain('tests="1" failures="0" errors="0" skipped="1"');
    expect(xml).toContain('<skipped message="needs a Redis"/>');
  });
});

describe('JSON report', () => {
  it('is the result model, with a summary and a format tag', () => {
    const report = JSON.parse(formatJsonReport([result]));
    expect(report.format).toBe(JSON_REPORT_FORMAT);
    expect(report.passed).toBe(false);
    expect(report.summary).toMatchObject({ labs: 1, labsPassed: 0, checks: 3, checksPassed: 2, checksFailed: 1, waitedMs: 0 });
    const check = report.labs[0].checks[1];
    expect(check.check.position).toEqual({ file: 'labs/03-consumer1/lab.yaml', line: 12, column: 5 });
    expect(check.request).toMatchObject({ method: 'HEAD', url: `${gateway.url}/key-auth-route/get`, headers: { apikey: '12' } });
    expect(check.response).toMatchObject({ status: 401, headers: { 'content-length': '81', 'www-authenticate': 'Key' } });
    expect(check.expectations[1]).toEqual({
      ok: false,
      subject: 'header Content-Length',
      expected: '96',
      actual: '81',
      position: { file: 'labs/03-consumer1/lab.yaml', line: 17, column: 9 },
      line: 17,
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { parseLabText } from '../../src/spec/lab-file.js';
import { runLab } from '../../src/runner/run-lab.js';
import { prepareRequest, maskUrlCredentials } from '../../src/runner/http.js';
import { WINDOW_SLACK_MS } from '../../src/runner/rate-limit-window.js';
import { startFakeGateway, VirtualClock, type FakeGateway } from './fake-gateway.js';

const gateways: FakeGateway[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.close();
});

async function fake(options: Parameters<typeof startFakeGateway>[0] = {}): Promise<FakeGateway> {
  const gateway = await startFakeGateway(options);
  gateways.push(gateway);
  return gateway;
}

function lab(checks: string) {
  return parseLabText(`title: Test lab\nexplanation: For tests.\nchecks:\n${checks}`, 'labs/99-test/lab.yaml');
}

const BURST = `  - name: consumer1 gets 5, then 429
    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "123456" } }
    burst:
      allowed: 5
      expect_allowed:
        status: 200
        headers:
          X-RateLimit-Remaining-Minute: { countdown_from: 4 }
          RateLimit-Reset: { between: [1, 60] }
      expect_blocked:
        status: 429
        headers:
          Retry-After: { same_as_header: RateLimit-Reset }
  - name: consumer2 is still allowed
    request: { method: HEAD, path: /key-auth-route/get, headers: { apikey: "987654" } }
    expect:
      status: 200
      headers: { X-RateLimit-Remaining-Minute: 4 }
`;

describe('runLab', () => {
  it('sends what the lab says and records the exchange', async () => {
    const gateway = await fake();
    const result = await runLab(
      lab(`  - name: echo
    request:
      method: POST
      path: /echo
      headers: { apikey: "123456" }
      query: { page: "2", tag: ["a", "b"] }
      body: { form: { note: "hello world" } }
    expect:
      status: 200
      json:
        method: POST
        args.page: "2"
        headers.apikey: "123456"
        headers.accept: "*/*"
        headers.content-type: application/x-www-form-urlencoded
        body: note=hello+world
`),
      { proxyUrl: `${gateway.url}/` },
    );
    expect(result.checks[0].expectations.filter((e) => !e.ok)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(gateway.requests[0].url).toBe('/echo?page=2&tag=a&tag=b');
    expect(result.checks[0].request).toMatchObject({ method: 'POST', url: `${gateway.url}/echo?page=2&tag=a&tag=b`, body: { text: 'note=hello+world' } });
    expect(result.checks[0].response).toMatchObject({ status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' } });
    expect(result.lab).toMatchObject({ title: 'Test lab', file: 'labs/99-test/lab.yaml' });
    expect(result.waitedMs).toBe(0);
  });

  it('a failing expectation fails the check and the lab, but the lab goes on', async () => {
    const gateway = await fake();
    const result = await runLab(
      lab(`  - name: expects a key to be needed
    request: { path: /key-auth-route/get }
    expect: { status: 200 }
  - name: runs anyway
    request: { path: /key-auth-route/get, headers: { apikey: "123456" } }
    expect: { status: 200 }
`),
      { proxyUrl: gateway.url },
    );
    expect(result.checks.map((check) => check.passed)).toEqual([false, true]);
    expect(result.passed).toBe(false);
    expect(result.checks[0].expectations[0]).toMatchObject({ ok: false, expected: '200', actual: '401 Unauthorized', line: 6 });
  });

  it('reports a gateway that does not answer', async () => {
    const gateway = await fake();
    const url = gateway.url;
    await gateway.close();
    gateways.length = 0;
    const result = await runLab(lab(`  - name: n\n    request: { path: /x }\n    expect: { status: 200 }\n`), { proxyUrl: url });
    expect(result.passed).toBe(false);
    expect(result.checks[0].error).toMatch(/^could not reach the gateway at http:\/\/127\.0\.0\.1:\d+\/x: connection refused$/);
    expect(result.checks[0].expectations[0]).toMatchObject({ ok: false, actual: '(no response)' });
  });

  it('retry_until repeats a request until it passes, within its bound', async () => {
    const clock = new VirtualClock();
    const gateway = await fake({ clock, flakyFailures: 3 });
    const passing = await runLab(
      lab(`  - name: propagating\n    request: { path: /flaky }\n    retry_until: { timeout_ms: 2000, interval_ms: 200 }\n    expect: { status: 200 }\n`),
      { proxyUrl: gateway.url }, { clock },
    );
    expect(passing.checks[0]).toMatchObject({ passed: true, attempts: 4, waitedMs: 600 });
    expect(passing.checks[0].notes).toEqual(['passed on attempt 4 (the configuration was still propagating)']);

    const failing = await fake({ clock, flakyFailures: 100 });
    const result = await runLab(
      lab(`  - name: never\n    request: { path: /flaky }\n    retry_until: { timeout_ms: 1000, interval_ms: 300 }\n    expect: { status: 200 }\n`),
      { proxyUrl: failing.url }, { clock },
    );
    expect(result.checks[0]).toMatchObject({ passed: false, attempts: 4 });
    expect(result.checks[0].notes[0]).toMatch(/^still failing after 4 attempts/);

    const noRetries = await runLab(
      lab(`  - name: once\n    request: { path: /flaky }\n    retry_until: { timeout_ms: 1000 }\n    expect: { status: 200 }\n`),
      { proxyUrl: failing.url }, { clock, retries: false },
    );
    expect(noRetries.checks[0]).toMatchObject({ passed: false, attempts: 1, waitedMs: 0 });
  });
});

describe('runLab: window-aware bursts', () => {
  it('with counters cleared and time left in the window, runs at once', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 7, 11, 14, 47, 10));
    const gateway = await fake({ clock, limit: 5 });
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'cleared' });
    expect(result.checks[0].expectations.filter((e) => !e.ok)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.waitedMs).toBe(0);
    expect(gateway.requests).toHaveLength(7);
    const burst = result.checks[0];
    expect(burst.exchanges.map((exchange) => [exchange.label, exchange.response?.status])).toEqual([
      ['request 1 of 6 (allowed)', 200],
      ['request 2 of 6 (allowed)', 200],
      ['request 3 of 6 (allowed)', 200],
      ['request 4 of 6 (allowed)', 200],
      ['request 5 of 6 (allowed)', 200],
      ['request 6 of 6 (blocked)', 429],
    ]);
    expect(burst.response?.headers['retry-after']).toBe(burst.response?.headers['ratelimit-reset']);
  });

  it('near the end of a window, waits for the next one and starts again', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 7, 11, 14, 47, 57, 500)); // 3 s left
    const gateway = await fake({ clock, limit: 5 });
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'cleared' });
    expect(result.passed).toBe(true);
    expect(result.waitedMs).toBe(3000 + WINDOW_SLACK_MS);
    expect(result.checks[0].notes).toEqual([
      `only 3 s left in the rate-limit window, the burst reserves 5 s: waited ${((3000 + WINDOW_SLACK_MS) / 1000).toFixed(1)} s for a fresh rate-limit window`,
    ]);
    expect(result.checks[0].exchanges[0].label).toBe('request 1 of 6 (allowed) — before the window ended, not checked');
    expect(gateway.requests).toHaveLength(8);
  });

  it('when counters could not be cleared, starts on a fresh window', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 7, 11, 14, 47, 20));
    const gateway = await fake({ clock, limit: 5 });
    // Someone used up consumer1's minute already (a real Kong keeps counters across syncs).
    for (let index = 0; index < 5; index += 1) await fetch(`${gateway.url}/key-auth-route/get`, { headers: { apikey: '123456' } });
    const progress: string[] = [];
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'unsupported', onProgress: (m) => progress.push(m) });
    expect(result.checks[0].expectations.filter((e) => !e.ok)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.waitedMs).toBeGreaterThanOrEqual(40_000);
    expect(result.waitedMs).toBeLessThanOrEqual(60_000 + WINDOW_SLACK_MS);
    expect(result.checks[0].exchanges[0]).toMatchObject({ label: 'probe (reads RateLimit-Reset; not checked)', expectations: [] });
    expect(progress[0]).toMatch(/^the rate-limit counters could not be cleared: waiting \d+\.\d s for a fresh rate-limit window…$/);
  });

  it('never waits longer than allowed', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 7, 11, 14, 47, 0, 100));
    const gateway = await fake({ clock, limit: 5 });
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'kept', maxWaitMs: 10_000 });
    expect(result.waitedMs).toBe(0);
    expect(result.checks[0].notes[0]).toMatch(/more than the 10 s the runner may wait: went on in this window$/);
    // The probe used one of consumer1's five requests in this window, so the fifth of the burst is refused.
    expect(result.checks[0].exchanges[5]).toMatchObject({ label: 'request 5 of 6 (allowed)', response: { status: 429 } });
    expect(result.passed).toBe(false);
  });

  it('fails when the gateway does not block', async () => {
    const clock = new VirtualClock();
    const gateway = await fake({ clock, limit: 5, neverBlock: true });
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'cleared' });
    const failed = result.checks[0].expectations.filter((e) => !e.ok);
    expect(failed.map((e) => [e.subject, e.expected, e.actual])).toEqual([
      ['status', '429', '200 OK'],
      ['header Retry-After', 'same as RateLimit-Reset (50)', '(absent)'],
    ]);
    expect(result.passed).toBe(false);
  });

  it('fails on a route without rate limiting, without waiting', async () => {
    const clock = new VirtualClock();
    const gateway = await fake({ clock });
    const result = await runLab(lab(BURST), { proxyUrl: gateway.url }, { clock, counters: 'kept' });
    expect(result.passed).toBe(false);
    expect(result.waitedMs).toBe(0);
  });
});

describe('prepareRequest', () => {
  it('builds the URL, adds Accept like curl, and masks credentials in the recorded URL', () => {
    const [check] = lab(`  - name: n\n    request: { path: /a/b, query: { q: "x y" }, body: { json: { k: 1 } } }\n    expect: { status: 200 }\n`).checks;
    const prepared = prepareRequest('http://user:secret@gw.example:8000/', check.request);
    expect(prepared.realUrl).toBe('http://user:secret@gw.example:8000/a/b?q=x+y');
    expect(prepared.url).toBe('http://***@gw.example:8000/a/b?q=x+y');
    expect(prepared.headers).toEqual({ accept: '*/*', 'content-type': 'application/json' });
    expect(prepared.body).toEqual({ text: '{"k":1}', contentType: 'application/json' });
    expect(maskUrlCredentials('http://gw:8000/x')).toBe('http://gw:8000/x');
  });
});

describe('runLab: redis: stop|start steps', () => {
  const redisLab = (items: string) =>
    parseLabText(`title: Test lab\nexplanation: For tests.\nnodes: 1\nredis: true\nchecks:\n${items}`, 'labs/99-test/lab.yaml');
  const echo = '  - name: echo\n    request: { path: /echo }\n    expect: { status: 200 }\n';

  it('runs each step between the checks it sits between, and reports it', async () => {
    const gateway = await fake();
    const calls: string[] = [];
    const redis = {
      stop: async () => {
        calls.push(`stop after ${gateway.requests.length} requests`);
      },
      start: async () => {
        calls.push(`start after ${gateway.requests.length} requests`);
      },
    };
    const seen: string[] = [];
    // The fake has no /_labkit counter reset, so after a start the runner cannot tell when the nodes reconnect, and says so.
    const result = await runLab(redisLab(`${echo}  - redis: stop\n${echo}${echo}  - redis: start\n`), { proxyUrl: gateway.url, adminUrl: gateway.url, redis }, {
      onEnvironmentStep: (step) => seen.push(step.name),
    });
    expect(calls).toEqual(['stop after 1 requests', 'start after 3 requests']);
    expect(seen).toEqual(['Redis stopped', 'Redis started']);
    expect(result.passed).toBe(true);
    expect(result.steps!.map((step) => [step.step.action, step.passed])).toEqual([['stop', true], ['start', true]]);
    expect(result.steps![1].notes[0]).toMatch(/cannot say when its nodes reach it again/);
  });

  it('fails the lab at the step, with its file:line, and runs no check after it, where the environment has no Redis of its own', async () => {
    const gateway = await fake();
    const result = await runLab(redisLab(`${echo}  - redis: stop\n${echo}`), { proxyUrl: gateway.url, redis: null });
    expect(result.passed).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(gateway.requests).toHaveLength(1);
    expect(result.error).toEqual({
      code: 'LAB_STEP_FAILED',
      exitCode: 1,
      problem: "redis: stop could not be done: this environment has no Redis the kit runs (an external gateway's Redis is not the kit's to stop): run the lab with --runtime local or --runtime containers",
      location: { file: 'labs/99-test/lab.yaml', line: 9, column: 5 },
      fix: 'run the lab where the kit runs its Redis (--runtime local or containers); npm run doctor checks the machine',
      notes: ['the checks after it were not run'],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { compareResponse, parsePage, type ActualResponse, type DocumentedResponse, type RequestStep } from '../../src/docs/index.js';
import { compareRequest } from '../../src/docs/compare-request.js';
import { compareDeckOutput } from '../../src/docs/compare-text.js';

const fence = '```';
const ID = '1f8a6c1c9d0d1853d9db426588c1ce1c';

/** A page whose only request is documented by `output` (lines from 5 on: the block's status line is line 5). */
function documented(command: string, output: string[]): DocumentedResponse {
  const text = ['{{<highlight>}}', command, '{{</highlight>}}', fence, ...output, fence].join('\n');
  const step = parsePage(text, 'p.md').steps[0] as RequestStep;
  return step.documented!;
}

const kong401 = [
  'HTTP/1.1 401 Unauthorized', // 5
  'Date: Mon, 11 Aug 2025 14:44:59 GMT', // 6
  'Content-Type: application/json; charset=utf-8', // 7
  'Connection: keep-alive', // 8
  'WWW-Authenticate: Key', // 9
  'Content-Length: 96', // 10
  'X-Kong-Response-Latency: 2', // 11
  'Server: kong/3.11.0.2-enterprise-edition', // 12
  `X-Kong-Request-Id: ${ID}`, // 13
  '', // 14
  '{', // 15
  '  "message":"No API key found in request",', // 16
  `  "request_id":"${ID}"`, // 17
  '}', // 18
];

function actual401(overrides: { status?: string; headers?: Record<string, string | null>; body?: string } = {}): ActualResponse {
  const id = 'a'.repeat(32);
  const headers: Array<[string, string]> = Object.entries({
    date: 'Fri, 27 Nov 2026 21:55:05 GMT',
    'content-type': 'application/json; charset=utf-8',
    connection: 'keep-alive',
    'www-authenticate': 'Key',
    'content-length': '96',
    'x-kong-response-latency': '0',
    server: 'kong/3.11.0.0-enterprise-edition',
    'x-kong-request-id': id,
    ...overrides.headers,
  }).filter((entry): entry is [string, string] => entry[1] !== null);
  return {
    statusLine: overrides.status ?? 'HTTP/1.1 401 Unauthorized',
    status: Number((overrides.status ?? 'HTTP/1.1 401').split(' ')[1]),
    headers,
    body: overrides.body ?? `{\n  "message":"No API key found in request",\n  "request_id":"${id}"\n}`,
    sent: { requestLine: 'GET /a HTTP/1.1', headers: [] },
  };
}

const shows = { headers: true, body: true };
const compare401 = (actual: ActualResponse) => compareResponse(documented('curl -i $DATA_PLANE_LB/a', kong401), actual, shows).map((drift) => `${drift.line}: ${drift.message}`);

describe('comparing a documented Kong error with the answer', () => {
  it('passes when only masked values differ (date, latency, request id, version)', () => {
    expect(compare401(actual401())).toEqual([]);
  });

  it('checks the status line exactly', () => {
    expect(compare401(actual401({ status: 'HTTP/1.1 403 Forbidden' }))).toContain('5: status line: documented "HTTP/1.1 401 Unauthorized", got "HTTP/1.1 403 Forbidden"');
  });

  it('checks every documented header, at its line', () => {
    expect(compare401(actual401({ headers: { 'www-authenticate': 'Key realm="kong"' } }))).toEqual(['9: WWW-Authenticate: documented "Key", got "Key realm="kong""']);
    expect(compare401(actual401({ headers: { 'content-length': '45' } }))).toEqual(['10: Content-Length: documented "96", got "45"']);
    expect(compare401(actual401({ headers: { 'www-authenticate': null } }))).toEqual(['9: WWW-Authenticate: documented "Key", but the response has no WWW-Authenticate header']);
  });

  it('reports headers the page does not show at the status line', () => {
    expect(compare401(actual401({ headers: { 'x-extra': '1' } }))).toEqual(['5: the response has a header the page does not show: X-Extra: 1']);
  });

  it('checks masked values by shape', () => {
    expect(compare401(actual401({ headers: { 'x-kong-response-latency': 'soon' } }))).toEqual(['11: X-Kong-Response-Latency: documented "2", got "soon" (not a whole number)']);
    expect(compare401(actual401({ headers: { server: 'nginx' } }))).toEqual(['12: Server: documented "kong/3.11.0.2-enterprise-edition", got "nginx" (differs beyond the version)']);
    expect(compare401(actual401({ headers: { date: 'yesterday' } }))).toEqual(['6: Date: documented "Mon, 11 Aug 2025 14:44:59 GMT", got "yesterday" (not an HTTP date)']);
  });

  it('compares JSON bodies by message, with request_id tied to X-Kong-Request-Id', () => {
    const id = 'a'.repeat(32);
    expect(compare401(actual401({ body: `{"message":"Unauthorized","request_id":"${id}"}` }))).toEqual(['16: message: documented "No API key found in request", got "Unauthorized"']);
    expect(compare401(actual401({ body: `{"message":"No API key found in request","request_id":"${'b'.repeat(32)}"}` }))).toEqual([
      `17: request_id: got "${'b'.repeat(32)}", not the response's request id`,
    ]);
    expect(compare401(actual401({ body: 'oops' }))).toEqual(['15: body: documented JSON, got oops']);
  });
});

describe('comparing proxied answers', () => {
  const rateLimited = [
    'HTTP/1.1 200 OK', // 5
    'Content-Length: 551', // 6
    'X-RateLimit-Remaining-Minute: 4', // 7
    'RateLimit-Reset: 11', // 8
    'Server: gunicorn', // 9
    'Via: 1.1 kong/3.11.0.2-enterprise-edition', // 10
    'X-Kong-Upstream-Latency: 3', // 11
  ];
  const actual = (headers: Record<string, string>): ActualResponse => ({
    statusLine: 'HTTP/1.1 200 OK',
    status: 200,
    headers: Object.entries({ 'content-length': '546', 'x-ratelimit-remaining-minute': '4', 'ratelimit-reset': '59', via: '1.1 kong/3.9.0', 'x-kong-upstream-latency': '1', ...headers }),
    body: '',
    sent: { requestLine: 'HEAD /a HTTP/1.1', headers: [] },
  });
  const compare = (headers: Record<string, string>) =>
    compareResponse(documented('curl --head $DATA_PLANE_LB/a', rateLimited), actual(headers), { headers: true, body: false }).map((drift) => `${drift.line}: ${drift.message}`);

  it("masks the upstream's Content-Length and Server, RateLimit-Reset within the window, the Via version", () => {
    expect(compare({})).toEqual([]);
    expect(compare({ server: 'Werkzeug/2.2' })).toEqual([]);
  });

  it('checks rate-limit counts exactly and Reset within 1..60', () => {
    expect(compare({ 'x-ratelimit-remaining-minute': '3' })).toEqual(['7: X-RateLimit-Remaining-Minute: documented "4", got "3"']);
    expect(compare({ 'ratelimit-reset': '61' })).toEqual(['8: RateLimit-Reset: documented "11", got "61" (not within 1..60 seconds)']);
  });

  it('compares httpbin echoes field by field: volatile fields masked, missing and extra fields reported', () => {
    const echo = documented('curl -i $DATA_PLANE_LB/a', [
      'HTTP/1.1 200 OK', // 5
      '', // 6
      '{', // 7
      '  "args": {},', // 8
      '  "headers": {', // 9
      '    "Host": "httpbin.kong.svc.cluster.local:8000",', // 10
      '    "X-Consumer-Username": "consumer1"', // 11
      '  },', // 12
      '  "origin": "203.0.113.9",', // 13
      '  "url": "http://httpbin.kong.svc.cluster.local:8000/get"', // 14
      '}', // 15
    ]);
    const body = (value: unknown): ActualResponse => ({ statusLine: 'HTTP/1.1 200 OK', status: 200, headers: [], body: JSON.stringify(value), sent: { requestLine: 'GET /get HTTP/1.1', headers: [] } });
    const check = (value: unknown) => compareResponse(echo, body(value), { headers: false, body: true }).map((drift) => `${drift.line}: ${drift.message}`);
    const good = { args: {}, headers: { Host: 'localhost:1', 'X-Consumer-Username': 'consumer1' }, origin: '127.0.0.1', url: 'http://127.0.0.1:9/get' };
    expect(check(good)).toEqual([]);
    expect(check({ ...good, headers: { ...good.headers, Apikey: '123456' } })).toEqual(['9: the body has a field the page does not show: headers.Apikey = "123456"']);
    expect(check({ ...good, headers: { Host: 'h' } })).toEqual(['11: headers.X-Consumer-Username: documented "consumer1", but the body has no headers.X-Consumer-Username']);
    expect(check({ ...good, url: 'http://h/get?apikey=1' })).toEqual([
      '14: url: documented "http://httpbin.kong.svc.cluster.local:8000/get", got "http://h/get?apikey=1" (path and query differ)',
    ]);
  });
});

describe('authoring help in comparisons', () => {
  const response = (headers: Record<string, string>, body = ''): ActualResponse => ({
    statusLine: 'HTTP/1.1 200 OK', status: 200, headers: Object.entries(headers), body, sent: { requestLine: 'GET /a HTTP/1.1', headers: [] },
  });
  const documentedHeaders = (...lines: string[]) => documented('curl -i $DATA_PLANE_LB/a', ['HTTP/1.1 200 OK', ...lines]);

  it('says did-you-mean for a header name one typo away, once, instead of a missing and an extra header', () => {
    const drifts = compareResponse(documentedHeaders('X-RateLimit-Remaning-Minute: 4'), response({ 'x-ratelimit-remaining-minute': '4' }), shows);
    expect(drifts.map((drift) => drift.message)).toEqual([
      'X-RateLimit-Remaning-Minute: documented "4", but the response has no X-RateLimit-Remaning-Minute header; did you mean X-RateLimit-Remaining-Minute?',
    ]);
    // Far from every name: no guess, and the extra header is reported.
    expect(compareResponse(documentedHeaders('X-Other: 1'), response({ 'x-ratelimit-remaining-minute': '4' }), shows).map((drift) => drift.message)).toEqual([
      'X-Other: documented "1", but the response has no X-Other header',
      'the response has a header the page does not show: X-RateLimit-Remaining-Minute: 4',
    ]);
  });

  it("masks the Admin API's ids and timestamps at any depth, by shape", () => {
    const page = documented('curl -s $KONG_ADMIN_URL/consumers/alice', [
      '{"id": "3c8d2f64-5d3f-4c0e-9b7a-1f2e3d4c5b6a", "username": "alice", "created_at": 1, "updated_at": 2, "service": {"id": "0b1c2d3e-5d3f-4c0e-9b7a-1f2e3d4c5b6a"}}',
    ]);
    const check = (value: unknown) => compareResponse(page, response({}, JSON.stringify(value)), { headers: false, body: true }).map((drift) => drift.message);
    const good = { id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', username: 'alice', created_at: 1764619806, updated_at: 1764619807, service: { id: 'ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee' } };
    expect(check(good)).toEqual([]);
    expect(check({ ...good, id: 'consumer-1' })).toEqual(['id: got "consumer-1", not an id (a UUID)']);
    expect(check({ ...good, created_at: 'yesterday' })).toEqual(['created_at: got "yesterday", not a timestamp (whole seconds)']);
    expect(check({ ...good, username: 'bob' })).toEqual(['username: documented "alice", got "bob"']);
  });
});

describe("curl -v's request lines", () => {
  const step = (lines: string[]) => parsePage(['{{<highlight>}}', 'curl -v $DATA_PLANE_LB/a', '{{</highlight>}}', '```', ...lines, '```'].join('\n'), 'p.md').steps[0] as RequestStep;
  const sent = { requestLine: 'GET /a HTTP/1.1', headers: [['Host', '127.0.0.1:8100'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']] as Array<[string, string]> };

  it("masks the Host and curl's version, and compares the rest both ways", () => {
    const page = step(['> GET /a HTTP/1.1', '> Host: localhost', '> User-Agent: curl/8.7.1', '> Accept: */*', '>', '< HTTP/1.1 200 OK', '<']);
    expect(compareRequest(page.documented!.request!, sent, 'p.md')).toEqual([]);
    const wrong = step(['> POST /b HTTP/1.1', '> Host: localhost', '> Accept: application/json', '>', '< HTTP/1.1 200 OK']);
    expect(compareRequest(wrong.documented!.request!, sent, 'p.md').map((drift) => `${drift.line}: ${drift.message}`)).toEqual([
      '5: request line: documented "> POST /b HTTP/1.1", curl sent "> GET /a HTTP/1.1"',
      '7: > Accept: documented "application/json", curl sent "*/*"',
      '5: curl sends a header the page does not show: > User-Agent: curl/8.5.0',
    ]);
  });
});

describe("decK's output", () => {
  const block = (...lines: string[]) => ({ at: { file: 'p.md', line: 10 }, blockLine: 9, text: lines.join('\n'), firstLine: 10, lastLine: 9 + lines.length });

  it('compares change lines as a set and the Summary exactly, masking the Kong version of ping', () => {
    const printed = 'creating route r\ncreating service s\nSummary:\n  Created: 2\n  Updated: 0\n  Deleted: 0\n';
    expect(compareDeckOutput(block('creating service s', 'creating route r', 'Summary:', '  Created: 2', '  Updated: 0', '  Deleted: 0'), printed)).toEqual([]);
    expect(compareDeckOutput(block('creating service s', 'Summary:', '  Created: 1', '  Updated: 0', '  Deleted: 0'), printed).map((drift) => `${drift.line}: ${drift.message}`)).toEqual([
      '10: decK printed a line the page does not show: "creating route r"',
      '12: decK: documented "Created: 1", got "Created: 2"',
    ]);
    expect(compareDeckOutput(block('Successfully connected to Kong!', 'Kong version:  3.11.0.2-enterprise-edition'), 'Successfully connected to Kong!\nKong version:  3.11.0.0\n')).toEqual([]);
  });
});

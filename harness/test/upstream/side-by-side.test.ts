// The same requests against Debian's real httpbin and the embedded one: status, headers (but Server,
// Date and connection management) and body bytes must agree once the port in Host/url is masked.
// Skips with the reason when Debian's httpbin is missing; fails instead under LABKIT_REQUIRE_HTTPBIN=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianHttpbinAvailability, startDebianHttpbin } from '../../src/upstream/debian-httpbin.js';
import { startEmbeddedHttpbin } from '../../src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../src/upstream/index.js';
import { requireOrSkip } from '../../src/upstream/requirements.js';
import { multipartBody, send, type Reply, type SendOptions } from './http-client.js';

const gate = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
if (gate.skip) console.warn(`[upstream side-by-side] SKIPPED: ${gate.reason}`);

interface Case extends SendOptions {
  name: string;
  path: string;
  /** gunicorn answers this one itself, before httpbin runs: its error pages carry no Server header. */
  byGunicorn?: boolean;
}

const json = { 'Content-Type': 'application/json' };
const multipart = multipartBody('XyZ', [
  { name: 'a', value: '1' },
  { name: 'a', value: 'é' },
  { name: 'f', value: 'hello\nworld', filename: 'x.txt', contentType: 'text/plain' },
  { name: 'f', value: 'second', filename: 'y.txt' },
  { name: 'g', value: Buffer.from([0xff, 0xfe, 0x00]), filename: 'g.bin', contentType: 'image/png' },
  { name: 'h', value: Buffer.from([0xff]), filename: 'h.bin' },
]);

const CASES: Case[] = [
  { name: 'GET /get with args and workshop headers', path: '/get?a=1&a=2&b=', headers: ['apikey', 'k', 'X-Consumer-Username', 'bob', 'X-Foo', '1', 'x-foo', '2', 'X_Foo', '3'] },
  {
    name: 'GET /get behind a proxy',
    path: '/get',
    headers: {
      'X-Forwarded-For': '1.2.3.4, 5.6.7.8',
      'X-Forwarded-Proto': 'https',
      'X-Real-IP': '1.2.3.4',
      Via: '1.1 kong/3.11.0',
      'X-Forwarded-Host': 'h',
      'X-Forwarded-Port': '8443',
      'X-Forwarded-Path': '/p',
      'X-Kong-Request-Id': 'abc',
    },
  },
  { name: 'GET /get?show_env', path: '/get?show_env=1', headers: { 'X-Forwarded-For': '1.1.1.1', 'X-Forwarded-Protocol': 'ftp', Via: 'v' } },
  { name: 'GET /get with X-Forwarded-Ssl', path: '/get', headers: { 'X-Forwarded-Ssl': 'on' } },
  { name: 'GET /get with Origin', path: '/get', headers: { Origin: 'https://portal.example.com' } },
  { name: 'GET /get header-name casing', path: '/get', headers: ['x-b3-traceid', '1', 'x-1a', '2', 'ACCEPT', '3', 'content-type', 'text/x', 'Cookie', 'a=1', 'Cookie', 'b=2', 'Empty', ''] },
  { name: 'GET /get odd query', path: '/get?a&b=&c=1;d=2&e=x+y&f=%2B%20%C3%A9&g=a=b&&q=a%2Fb/c?d&z=%E2%82%ACa%FF' },
  { name: 'GET /get with Host on port 80', path: '/get', headers: { Host: 'example.com:80' } },
  { name: 'GET /anything with encoded path', path: '/anything/%20x/%C3%A9/a%2Fb?q=%41%zz' },
  { name: 'GET /anything with bad UTF-8 in the path', path: '/anything/%E2%82' },
  { name: 'GET /anything/x//y', path: '/anything/x//y' },
  { name: 'POST /anything//x redirects', path: '/anything//x?a=%20b&c', method: 'POST' },
  { name: 'TRACE /anything', path: '/anything', method: 'TRACE' },
  { name: 'GET /get/ (trailing slash)', path: '/get/' },
  ...['post', 'put', 'patch', 'delete'].flatMap((name): Case[] => [
    { name: `${name.toUpperCase()} /${name} JSON`, path: `/${name}?x=1`, method: name.toUpperCase(), headers: json, body: '{"b":1,"a":[1,2.50,1E2],"é":"ü"}' },
    { name: `GET /${name} is 405`, path: `/${name}` },
  ]),
  { name: 'POST /post form', path: '/post', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2&b=%C3%A9&c+d=e+f&g' },
  { name: 'POST /post form with bad bytes', path: '/post', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from([0xff, 0xfe, 0x00]) },
  { name: 'POST /post multipart', path: '/post', method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: multipart },
  { name: 'PUT /anything multipart, quoted boundary', path: '/anything/m', method: 'PUT', headers: { 'Content-Type': 'multipart/form-data; boundary="XyZ"' }, body: multipart },
  { name: 'POST /post multipart without boundary', path: '/post', method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body: multipart },
  { name: 'POST /post binary', path: '/post', method: 'POST', headers: { 'Content-Type': 'image/png' }, body: Buffer.from([0xff, 0xfe, 0x00]) },
  { name: 'PATCH /patch JSON as text/plain', path: '/patch', method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: ' [1, {"x": null, "y": true, "z": -0.0e5, "w": 123456789012345678901234567890, "v": NaN}] ' },
  { name: 'POST /post invalid JSON', path: '/post', method: 'POST', headers: json, body: '{"a":1,}' },
  { name: 'POST /post JSON with BOM', path: '/post', method: 'POST', headers: json, body: Buffer.from('\ufeff{"a":1}') },
  { name: 'POST /post JSON floats', path: '/post', method: 'POST', headers: json, body: '[0.1,1e16,1e15,1.5e-5,0.0001,1e400,10.0,2E+3]' },
  { name: 'POST /post JSON astral keys', path: '/post', method: 'POST', headers: json, body: '{"\u{1F600}":1,"\uffff":2,"€":4}' },
  { name: 'DELETE /delete JSON and args', path: '/delete?x=1', method: 'DELETE', headers: json, body: '{"k":"v"}' },
  ...['/get', '/post', '/anything', '/status/200', '/response-headers', '/delay/1', '/bytes/3'].map(
    (path): Case => ({ name: `OPTIONS ${path}`, path, method: 'OPTIONS', headers: { 'Access-Control-Request-Headers': 'apikey, x-foo' } }),
  ),
  ...['200', '201', '204', '301', '302', '304', '401', '402', '403', '406', '407', '418', '500', '503', '600', 'abc', '+20_1', '200,', '200:x', '200:0,503', '200:1:1,201'].map(
    (code): Case => ({ name: `GET /status/${code}`, path: `/status/${code}` }),
  ),
  { name: 'POST /status/201', path: '/status/201', method: 'POST' },
  { name: 'HEAD /get', path: '/get?x=1', method: 'HEAD' },
  { name: 'HEAD /status/418', path: '/status/418', method: 'HEAD' },
  { name: 'HEAD /post is 405', path: '/post', method: 'HEAD' },
  { name: 'GET /response-headers', path: '/response-headers?X-A=1&X-A=2&Content-Type=text/plain&freeform=hello%20world' },
  { name: 'POST /response-headers', path: '/response-headers?a=1&b=2&a=3', method: 'POST' },
  { name: 'GET /response-headers without query', path: '/response-headers' },
  ...['0', '0.1', '-1', 'abc'].map((d): Case => ({ name: `GET /delay/${d}`, path: `/delay/${d}?q=1` })),
  ...['0', '16?seed=42', '100?seed=1', '4?Seed=1&seed=42', '4?seed=x', '-1', '200000?seed=7'].map((n): Case => ({ name: `GET /bytes/${n}`, path: `/bytes/${n}` })),
  ...['aGVsbG8=', 'aGk=aGk=', 'aGk', 'a=Gk', '_w==', '!!!', '4oKs', 'aGVsbG8gd29ybGQ-_w'].map((v): Case => ({ name: `GET /base64/${v}`, path: `/base64/${v}` })),
  { name: 'GET /ip', path: '/ip' },
  { name: 'GET /ip with X-Forwarded-For', path: '/ip', headers: { 'X-Forwarded-For': '9.9.9.9' } },
  { name: 'GET /headers', path: '/headers', headers: { apikey: 'k', 'User-Agent': 'lab' } },
  { name: 'GET /user-agent', path: '/user-agent', headers: { 'User-Agent': 'lab/1.0' } },
  { name: 'GET /user-agent without one', path: '/user-agent' },
  { name: 'GET /nope', path: '/nope' },
  { name: 'POST /nope', path: '/nope', method: 'POST' },
  { name: 'contradictory scheme headers', path: '/get', headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Ssl': 'off' }, byGunicorn: true },
];

// Connection management and identity differ on purpose; the port differs between the two servers.
const IGNORED_HEADERS = new Set(['server', 'date', 'connection', 'keep-alive']);

function comparable(reply: Reply, port: number) {
  const mask = (s: string) => s.replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT');
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(reply.headers)) {
    if (IGNORED_HEADERS.has(name) || value === undefined) continue;
    if (name === 'content-length') continue; // checked per server below: it follows the port's digit count
    // Python's set order decides Allow's order, which changes from one gunicorn process to the next.
    headers[name] = name === 'allow' ? String(value).split(', ').sort().join(', ') : Array.isArray(value) ? value.map(mask) : mask(value);
  }
  return { status: reply.status, headers, body: mask(reply.raw.toString('latin1')) };
}

describe.skipIf(gate.skip)(`embedded vs Debian httpbin, side by side${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  let debian: RunningUpstream;
  let embedded: RunningUpstream;

  beforeAll(async () => {
    [debian, embedded] = await Promise.all([startDebianHttpbin(), startEmbeddedHttpbin()]);
  });
  afterAll(async () => {
    await Promise.all([debian?.close(), embedded?.close()]);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const [real, ours] = await Promise.all([send(debian.url, c.path, c), send(embedded.url, c.path, c)]);
      expect(comparable(ours, embedded.port)).toEqual(comparable(real, debian.port));
      for (const reply of [real, ours]) {
        const bodyless = c.method === 'HEAD' || reply.status === 204 || reply.status === 304;
        if (!bodyless) expect(reply.headers['content-length']).toBe(String(reply.raw.length));
      }
      expect(real.headers.server).toBe(c.byGunicorn ? undefined : 'gunicorn');
      expect(ours.headers.server).toBe('labkit-httpbin');
    });
  }

  it('GET /status with several codes picks one of them on both', async () => {
    for (let i = 0; i < 10; i++) {
      const [real, ours] = await Promise.all([send(debian.url, '/status/200,201,202'), send(embedded.url, '/status/200,201,202')]);
      expect([200, 201, 202]).toContain(real.status);
      expect([200, 201, 202]).toContain(ours.status);
      expect(ours.headers['content-type']).toBe(real.headers['content-type']);
    }
  });

  it('GET /uuid has the same shape on both', async () => {
    const [real, ours] = await Promise.all([send(debian.url, '/uuid'), send(embedded.url, '/uuid')]);
    const shape = (r: Reply) => r.text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/, 'UUID');
    expect(shape(ours)).toBe(shape(real));
    expect(shape(ours)).toBe('{"uuid":"UUID"}\n');
  });

  it('an unusable status code fails the request on both', async () => {
    for (const code of ['0', '1000']) {
      await expect(send(debian.url, `/status/${code}`)).rejects.toThrow();
      await expect(send(embedded.url, `/status/${code}`)).rejects.toThrow();
    }
  });

  it('known difference: only the embedded server has /json (Debian’s httpbin 0.7.0 answers 404)', async () => {
    const [real, ours] = await Promise.all([send(debian.url, '/json'), send(embedded.url, '/json')]);
    expect(real.status).toBe(404);
    expect(ours.status).toBe(200);
  });
});

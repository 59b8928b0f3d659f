// The embedded httpbin on its own: every endpoint's status, headers and body shape, as Debian's
// httpbin 0.7.0 answers them (the side-by-side test compares the two servers directly).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHttpbin } from '../../src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../src/upstream/index.js';
import { json, multipartBody, send, type Reply } from './http-client.js';

let upstream: RunningUpstream;
let hostHeader: string;

beforeAll(async () => {
  upstream = await startEmbeddedHttpbin();
  hostHeader = `127.0.0.1:${upstream.port}`;
});
afterAll(async () => {
  await upstream?.close();
});

const get = (path: string, options: Parameters<typeof send>[2] = {}) => send(upstream.url, path, options);

function expectHttpbinHeaders(reply: Reply, contentType: string | undefined): void {
  expect(reply.headers.server).toBe('labkit-httpbin');
  expect(reply.headers['access-control-allow-origin']).toBe('*');
  expect(reply.headers['access-control-allow-credentials']).toBe('true');
  expect(reply.headers['content-type']).toBe(contentType);
  expect(reply.headers['content-length']).toBe(String(reply.raw.length));
}

describe('embedded httpbin: the echo endpoints', () => {
  it('GET /get echoes args, Title-Cased headers, origin and url as compact sorted JSON', async () => {
    const reply = await get('/get?a=1&a=2&b=x', {
      headers: ['apikey', 'secret-key', 'X-Consumer-Username', 'bob', 'x-foo', '1', 'x-foo', '2'],
    });
    expect(reply.status).toBe(200);
    expectHttpbinHeaders(reply, 'application/json');
    expect(reply.text).toBe(
      '{"args":{"a":["1","2"],"b":"x"},' +
        `"headers":{"Apikey":"secret-key","Connection":"keep-alive","Host":"${hostHeader}","X-Consumer-Username":"bob","X-Foo":"1,2"},` +
        `"origin":"127.0.0.1","url":"http://${hostHeader}/get?a=1&a=2&b=x"}\n`,
    );
  });

  it('shows the X-Forwarded-For chain as origin and hides proxy headers unless show_env is set', async () => {
    const proxyHeaders = {
      'X-Forwarded-For': '203.0.113.7, 10.0.0.1',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Port': '8443',
      'X-Forwarded-Host': 'api.example.com',
      'X-Real-IP': '203.0.113.7',
      Via: '1.1 kong/3.11',
    };
    const hidden = json(await get('/get', { headers: proxyHeaders }));
    expect(hidden.origin).toBe('203.0.113.7, 10.0.0.1');
    expect(hidden.url).toBe(`https://${hostHeader}/get`);
    expect(Object.keys(hidden.headers).sort()).toEqual(['Connection', 'Host', 'X-Forwarded-Host']);

    const shown = json(await get('/get?show_env=1', { headers: proxyHeaders }));
    expect(shown.headers).toMatchObject({ 'X-Forwarded-For': '203.0.113.7, 10.0.0.1', 'X-Real-Ip': '203.0.113.7', Via: '1.1 kong/3.11' });
  });

  it('echoes the Origin header in Access-Control-Allow-Origin', async () => {
    const reply = await get('/get', { headers: { Origin: 'https://portal.example.com' } });
    expect(reply.headers['access-control-allow-origin']).toBe('https://portal.example.com');
  });

  it('GET /headers, /ip, /user-agent and /uuid', async () => {
    expect(json(await get('/headers', { headers: { 'User-Agent': 'lab/1' } }))).toEqual({
      headers: { Connection: 'keep-alive', Host: hostHeader, 'User-Agent': 'lab/1' },
    });
    expect(json(await get('/ip'))).toEqual({ origin: '127.0.0.1' });
    expect(json(await get('/ip', { headers: { 'X-Forwarded-For': '198.51.100.1' } }))).toEqual({ origin: '198.51.100.1' });
    expect((await get('/user-agent', { headers: { 'User-Agent': 'lab/1' } })).text).toBe('{"user-agent":"lab/1"}\n');
    expect((await get('/user-agent')).text).toBe('{"user-agent":null}\n');
    expect(json(await get('/uuid')).uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('/anything and /anything/* accept every httpbin method and report it', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE']) {
      const body = json(await get('/anything/deep/path?x=1', { method }));
      expect(Object.keys(body)).toEqual(['args', 'data', 'files', 'form', 'headers', 'json', 'method', 'origin', 'url']);
      expect(body.method).toBe(method);
      expect(body.url).toBe(`http://${hostHeader}/anything/deep/path?x=1`);
    }
    expect(json(await get('/anything', { method: 'POST' })).url).toBe(`http://${hostHeader}/anything`);
  });

  it('/post, /put, /patch and /delete echo JSON, raw data, forms and files', async () => {
    const jsonBody = json(
      await get('/post?q=1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"b":1,"a":[1,2.50],"é":"ü"}' }),
    );
    expect(Object.keys(jsonBody)).toEqual(['args', 'data', 'files', 'form', 'headers', 'json', 'origin', 'url']);
    expect(jsonBody).toMatchObject({ args: { q: '1' }, data: '{"b":1,"a":[1,2.50],"é":"ü"}', json: { a: [1, 2.5], b: 1, é: 'ü' }, form: {}, files: {} });

    const form = json(
      await get('/put', { method: 'PUT', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2&b=%C3%A9' }),
    );
    expect(form).toMatchObject({ form: { a: ['1', '2'], b: 'é' }, data: '', json: null });

    const multipart = multipartBody('XyZ', [
      { name: 'field', value: 'value' },
      { name: 'upload', value: 'hello\n', filename: 'hello.txt', contentType: 'text/plain' },
      { name: 'binary', value: Buffer.from([0xff, 0xfe, 0x00]), filename: 'b.png', contentType: 'image/png' },
    ]);
    const files = json(await get('/patch', { method: 'PATCH', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body: multipart }));
    expect(files).toMatchObject({
      form: { field: 'value' },
      files: { upload: 'hello\n', binary: 'data:image/png;base64,//4A' },
      data: '',
      json: null,
    });

    const binary = json(await get('/delete', { method: 'DELETE', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from([0xff, 0x00]) }));
    expect(binary.data).toBe('data:application/octet-stream;base64,/wA=');
  });

  it('answers a wrong method with Flask’s 405 page and an Allow header', async () => {
    const reply = await get('/post');
    expect(reply.status).toBe(405);
    expectHttpbinHeaders(reply, 'text/html; charset=utf-8');
    expect(reply.headers.allow).toBe('POST, OPTIONS');
    expect(reply.text).toBe(
      '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n' +
        '<p>The method is not allowed for the requested URL.</p>\n',
    );
    expect((await get('/get', { method: 'POST' })).status).toBe(405);
    expect((await get('/delete', { method: 'PUT' })).headers.allow).toBe('DELETE, OPTIONS');
  });

  it('answers unknown paths with Werkzeug’s 404 page', async () => {
    for (const path of ['/nope', '/get/', '/anything/', '/status/']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expectHttpbinHeaders(reply, 'text/html; charset=utf-8');
      expect(reply.text).toContain('<title>404 Not Found</title>');
    }
  });

  it('answers OPTIONS like Flask with httpbin’s CORS preflight headers', async () => {
    const reply = await get('/get', { method: 'OPTIONS', headers: { 'Access-Control-Request-Headers': 'apikey' } });
    expect(reply.status).toBe(200);
    expect(reply.raw.length).toBe(0);
    expect(reply.headers).toMatchObject({
      allow: 'GET, HEAD, OPTIONS',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE, PATCH, OPTIONS',
      'access-control-max-age': '3600',
      'access-control-allow-headers': 'apikey',
      'content-length': '0',
    });
  });

  it('redirects doubled slashes in a route’s fixed part with a 308, like Werkzeug', async () => {
    const reply = await get('/anything//x?a=1', { method: 'POST' });
    expect(reply.status).toBe(308);
    expect(reply.headers.location).toBe(`http://${hostHeader}/anything/x?a=1`);
    expect(json(await get('/anything/x//y')).url).toBe(`http://${hostHeader}/anything/x//y`);
  });
});

describe('embedded httpbin: HEAD', () => {
  // Raw requests, so HEAD and GET carry exactly the same headers (undici sends HEAD with Connection: close).
  const exchange = (method: string, path: string) =>
    new Promise<{ status: number; headers: Map<string, string>; body: string }>((resolve, reject) => {
      const socket = connect(upstream.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const [head, ...rest] = text.split('\r\n\r\n');
        const [statusLine, ...lines] = head.split('\r\n');
        const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
      });
      // write, not end: a half-closed client would make Node abandon the pending answer.
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    });

  it('answers HEAD on every GET route with the GET headers and no body', async () => {
    for (const path of ['/get?x=1', '/headers', '/ip', '/user-agent', '/anything/x', '/status/418', '/response-headers?X-A=1', '/bytes/10?seed=1', '/base64/aGk=', '/json', '/delay/0']) {
      const head = await exchange('HEAD', path);
      const full = await exchange('GET', path);
      expect(head.status, path).toBe(full.status);
      expect(head.body, path).toBe('');
      expect(full.body.length, path).toBeGreaterThan(0);
      expect(head.headers.get('content-type'), path).toBe(full.headers.get('content-type'));
      expect(head.headers.get('server'), path).toBe('labkit-httpbin');
      // /anything echoes the method, so HEAD's would-be body is one byte longer than GET's.
      const extra = path.startsWith('/anything') ? 1 : 0;
      expect(head.headers.get('content-length'), path).toBe(String(full.body.length + extra));
    }
  });

  it('rejects HEAD where GET is not allowed', async () => {
    expect((await get('/post', { method: 'HEAD' })).status).toBe(405);
  });
});

describe('embedded httpbin: /status', () => {
  it('returns the code with httpbin’s canned bodies and headers', async () => {
    const teapot = await get('/status/418');
    expect(teapot.status).toBe(418);
    expect(teapot.headers['x-more-info']).toBe('http://tools.ietf.org/html/rfc2324');
    expect(teapot.headers['content-type']).toBeUndefined();
    expect(teapot.text).toContain('-=[ teapot ]=-');
    expect(teapot.headers['content-length']).toBe(String(teapot.raw.length));

    const unauthorized = await get('/status/401');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['www-authenticate']).toBe('Basic realm="Fake Realm"');

    const found = await get('/status/302');
    expect(found.status).toBe(302);
    expect(found.headers.location).toBe('/redirect/1');

    const created = await get('/status/201', { method: 'POST' });
    expect(created.status).toBe(201);
    expectHttpbinHeaders(created, 'text/html; charset=utf-8');

    const noContent = await get('/status/204');
    expect(noContent.status).toBe(204);
    expect(noContent.headers['content-length']).toBeUndefined();
  });

  it('picks randomly among comma-separated codes, honouring weights', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add((await get('/status/200,201,202')).status);
    for (const code of seen) expect([200, 201, 202]).toContain(code);
    for (let i = 0; i < 5; i++) expect((await get('/status/200:0,503:1')).status).toBe(503);
  });

  it('rejects codes that are not integers with 400 "Invalid status code"', async () => {
    for (const codes of ['abc', '200,', '200:x']) {
      const reply = await get(`/status/${codes}`);
      expect(reply.status, codes).toBe(400);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.text).toBe('Invalid status code');
    }
  });

  it('drops the connection for a code no client could read, and keeps serving', async () => {
    await expect(get('/status/0')).rejects.toThrow();
    await expect(get('/status/1000')).rejects.toThrow();
    expect((await get('/status/200')).status).toBe(200);
  });
});

describe('embedded httpbin: the other endpoints', () => {
  it('/response-headers turns the query into headers and lists the final header set', async () => {
    const reply = await get('/response-headers?X-A=1&X-A=2&freeform=hello%20world', { method: 'POST' });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-a']).toEqual(['1', '2']);
    expect(reply.headers.freeform).toBe('hello world');
    expect(json(reply)).toEqual({
      'Content-Length': String(reply.raw.length),
      'Content-Type': 'application/json',
      'X-A': ['1', '2'],
      freeform: 'hello world',
    });
  });

  it('/delay/<n> answers after the delay with the echo', async () => {
    const reply = await get('/delay/0.05?x=1');
    expect(reply.status).toBe(200);
    expect(Object.keys(json(reply))).toEqual(['args', 'data', 'files', 'form', 'headers', 'origin', 'url']);
    expect((await get('/delay/abc')).status).toBe(500);
  });

  it('/bytes/<n> returns Python’s random bytes, reproducible with ?seed=', async () => {
    const seeded = await get('/bytes/4?seed=42');
    expectHttpbinHeaders(seeded, 'application/octet-stream');
    expect([...seeded.raw]).toEqual([57, 12, 140, 125]); // random.seed(42); [randint(0, 255) for _ in range(4)]
    expect((await get('/bytes/200000')).raw.length).toBe(102400);
    expect((await get('/bytes/-1')).status).toBe(404);
  });

  it('/base64/<value> decodes URL-safe base64 as text/html, 500 when it cannot', async () => {
    const reply = await get('/base64/aGVsbG8gd29ybGQ=');
    expectHttpbinHeaders(reply, 'text/html; charset=utf-8');
    expect(reply.text).toBe('hello world');
    const broken = await get('/base64/_w==');
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('<title>500 Internal Server Error</title>');
  });

  it('/json returns httpbin’s sample slideshow', async () => {
    const reply = await get('/json');
    expectHttpbinHeaders(reply, 'application/json');
    expect(json(reply).slideshow.title).toBe('Sample Slide Show');
  });
});

describe('embedded httpbin: robustness', () => {
  it('survives malformed requests and clients that vanish mid-body', async () => {
    const rawExchange = (payload: string, hangUp = false) =>
      new Promise<string>((resolve) => {
        const socket = connect(upstream.port, '127.0.0.1');
        let received = '';
        socket.on('data', (d) => (received += d.toString('latin1')));
        socket.on('close', () => resolve(received));
        socket.on('error', () => resolve(received));
        socket.write(payload, () => {
          if (hangUp) socket.destroy();
        });
      });
    expect(await rawExchange('NOT HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    await rawExchange('POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial', true);
    expect((await get('/get')).status).toBe(200);
  });

  it('close() ends pending /delay requests instead of waiting for them', async () => {
    const own = await startEmbeddedHttpbin();
    const pending = send(own.url, '/delay/10').then(
      () => 'answered',
      (err: Error) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the request reach the server
    await own.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

// Requests Kong (nginx) refuses or forwards byte for byte: duplicate Host, userinfo in an
// absolute-form target, non-Latin-1 consumer names in the headers key-auth adds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { request } from 'undici';
import type { RunningGateway } from '../../src/gateway.js';
import { createAccessLog } from '../../src/access-log.js';
import { postConfig, startTestGateway } from './gateway-harness.js';
import { rawExchange } from './raw-http.js';

const USERNAME = 'zoë 🦍 gorilla';
const KEY = 'hygiene-key';

describe('request hygiene', () => {
  let upstream: Server;
  let gateway: RunningGateway;
  let proxyPort: number;
  const seen: IncomingMessage[] = [];
  const logLines: string[] = [];
  const stderrWrites: string[] = [];
  const realStderrWrite = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(req);
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    gateway = await startTestGateway(port, {}, { accessLog: createAccessLog(true, sink) });
    proxyPort = gateway.proxy.port;
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [
        {
          name: 'svc',
          url: `http://127.0.0.1:${port}`,
          routes: [
            { name: 'open', paths: ['/open'] },
            { name: 'keyed', paths: ['/keyed'], plugins: [{ name: 'key-auth' }] },
          ],
        },
      ],
      consumers: [{ username: USERNAME, keyauth_credentials: [{ key: KEY }] }],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    process.stderr.write = realStderrWrite;
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('answers 400 and closes the connection when a request has two Host headers, like nginx', async () => {
    const before = seen.length;
    const { text: answer, closed } = await rawExchange(proxyPort, 'GET /open HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nAccept: */*\r\n\r\n');
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('"message":"Bad request"');
    expect(seen.length).toBe(before);
  });

  it('still routes a request with one Host header', async () => {
    const { text: answer } = await rawExchange(proxyPort, 'GET /open HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses an absolute-form target with userinfo (400, like nginx) and keeps the credential out of the access log', async () => {
    const before = seen.length;
    const { text: answer } = await rawExchange(proxyPort, 'GET http://u:SECRET@a.example/open HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(seen.length).toBe(before);
    await new Promise((resolve) => setImmediate(resolve));
    const entry = logLines.map((line) => JSON.parse(line)).find((e) => e.status === 400 && String(e.path).includes('a.example'));
    expect(entry).toBeDefined();
    expect(entry.path).toBe('http://a.example/open');
    expect(logLines.join('\n')).not.toContain('SECRET');
  });

  it('forwards a consumer username outside Latin-1 as its UTF-8 bytes, as Kong does', async () => {
    const before = seen.length;
    const response = await request(`http://127.0.0.1:${proxyPort}/keyed`, { headers: { apikey: KEY } });
    await response.body.text();
    expect(response.statusCode).toBe(200);
    const forwarded = seen[before];
    const index = forwarded.rawHeaders.findIndex((name) => name.toLowerCase() === 'x-consumer-username');
    // Node decodes header bytes as Latin-1: re-encoding gives the bytes on the wire.
    expect(Buffer.from(forwarded.rawHeaders[index + 1], 'latin1').toString('utf8')).toBe(USERNAME);
  });

  it('writes an error-log line for each failed upstream try, as nginx does, instead of a silent 502', async () => {
    stderrWrites.length = 0;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderrWrites.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const created = await postConfig(gateway, {
        _format_version: '3.0',
        services: [{ name: 'gone', url: 'http://127.0.0.1:9', retries: 0, routes: [{ name: 'gone', paths: ['/gone'] }] }],
      });
      expect(created.status).toBe(201);
      const response = await request(`http://127.0.0.1:${proxyPort}/gone`);
      await response.body.text();
      expect(response.statusCode).toBe(502);
      const requestId = response.headers['x-kong-request-id'];
      const lines = stderrWrites.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line));
      expect(lines).toContainEqual(
        expect.objectContaining({ event: 'upstream_error', request_id: requestId, upstream_address: '127.0.0.1:9', try: 1 }),
      );
    } finally {
      process.stderr.write = realStderrWrite;
    }
  });
});

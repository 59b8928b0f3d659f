// Upstream bodies reach the client byte for byte however they arrive: whole with Content-Length
// (sent with end()), in many chunks with Content-Length, chunked without it, or not at all (HEAD).

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const SMALL = Buffer.from(JSON.stringify({ slideshow: { title: 'Sample Slide Show', padding: '.'.repeat(420) } }));
const LARGE = randomBytes(3 * 1024 * 1024 + 17);
const PIECES = 7;

function sha(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

function pieces(buffer: Buffer): Buffer[] {
  const size = Math.ceil(buffer.length / PIECES);
  return Array.from({ length: PIECES }, (_, i) => buffer.subarray(i * size, (i + 1) * size));
}

describe('response bodies through the gateway', () => {
  let upstream: Server;
  let gateway: RunningGateway;
  let proxy: string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      if (req.url === '/small') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(SMALL.length) });
        res.end(req.method === 'HEAD' ? undefined : SMALL);
      } else if (req.url === '/large') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(LARGE.length) });
        const parts = pieces(LARGE);
        // One piece per turn, so the gateway sees the body in several reads.
        const next = (i: number): void => {
          if (i === parts.length) return void res.end();
          res.write(parts[i], () => setImmediate(next, i + 1));
        };
        next(0);
      } else if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        for (const part of pieces(SMALL)) res.write(part);
        res.end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    gateway = await startTestGateway(port);
    proxy = `http://127.0.0.1:${gateway.proxy.port}`;
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [{ name: 'bodies', url: `http://127.0.0.1:${port}`, routes: [{ name: 'bodies', paths: ['/bodies'] }] }],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  async function get(path: string, method: 'GET' | 'HEAD' = 'GET') {
    const response = await request(`${proxy}/bodies${path}`, { method });
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, headers: response.headers, body };
  }

  it('passes a body that arrives whole, with its Content-Length', async () => {
    for (let i = 0; i < 3; i++) {
      const { status, headers, body } = await get('/small');
      expect(status).toBe(200);
      expect(headers['content-length']).toBe(String(SMALL.length));
      expect(body.equals(SMALL)).toBe(true);
    }
  });

  it('passes a large body that arrives in many reads, in order', async () => {
    const { status, headers, body } = await get('/large');
    expect(status).toBe(200);
    expect(headers['content-length']).toBe(String(LARGE.length));
    expect(body.length).toBe(LARGE.length);
    expect(sha(body)).toBe(sha(LARGE));
  });

  it('passes a chunked body (no Content-Length) chunked', async () => {
    const { status, headers, body } = await get('/chunked');
    expect(status).toBe(200);
    expect(headers['content-length']).toBeUndefined();
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(body.equals(SMALL)).toBe(true);
  });

  it('answers HEAD with the upstream Content-Length and no body', async () => {
    const { status, headers, body } = await get('/small', 'HEAD');
    expect(status).toBe(200);
    expect(headers['content-length']).toBe(String(SMALL.length));
    expect(body.length).toBe(0);
    // The connection is still usable afterwards.
    expect((await get('/small')).body.equals(SMALL)).toBe(true);
  });
});

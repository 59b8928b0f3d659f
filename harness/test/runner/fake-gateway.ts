// A small stand-in for the gateway + httpbin, for testing the runner and reporters alone. It follows the
// reference's shapes (Kong error bodies, rate-limit headers) on a virtual clock the tests control.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/runner/clock.js';

export class VirtualClock implements Clock {
  constructor(public time = Date.UTC(2025, 7, 11, 14, 47, 10)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
  }
}

export interface FakeGatewayOptions {
  clock?: VirtualClock;
  /** Requests per minute per key; no rate limiting when absent. */
  limit?: number;
  /** Never block, but still send the headers (a broken limiter). */
  neverBlock?: boolean;
  /** `/flaky` answers 503 this many times before 200. */
  flakyFailures?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeGateway {
  url: string;
  clock: VirtualClock;
  requests: RecordedRequest[];
  clearCounters(): void;
  close(): Promise<void>;
}

const KEYS: Record<string, string> = { '123456': 'consumer1', '987654': 'consumer2' };

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const clock = options.clock ?? new VirtualClock();
  const requests: RecordedRequest[] = [];
  const counters = new Map<string, number>();
  let flaky = options.flakyFailures ?? 0;
  let sequence = 0;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    clock.time += 5; // every request takes a little time
    const url = new URL(req.url ?? '/', 'http://fake');
    const requestId = (++sequence).toString(16).padStart(32, '0');
    res.setHeader('X-Kong-Request-Id', requestId);

    if (url.pathname === '/flaky') {
      if (flaky > 0) {
        flaky -= 1;
        return kongError(res, req, 503, 'The upstream server is currently unavailable', requestId);
      }
      return json(res, req, 200, { ok: true });
    }
    if (url.pathname === '/echo') {
      return json(res, req, 200, { method: req.method, path: url.pathname, args: Object.fromEntries(url.searchParams), headers: req.headers, body });
    }
    if (!url.pathname.startsWith('/key-auth-route')) return kongError(res, req, 404, 'no Route matched with those values', requestId);

    const key = (req.headers.apikey as string | undefined) ?? url.searchParams.get('apikey') ?? undefined;
    if (!key) return kongError(res, req, 401, 'No API key found in request', requestId, { 'WWW-Authenticate': 'Key' });
    const consumer = KEYS[key];
    if (!consumer) return kongError(res, req, 401, 'Unauthorized', requestId, { 'WWW-Authenticate': 'Key' });

    if (options.limit !== undefined) {
      const windowStart = Math.floor(clock.time / 60_000) * 60_000;
      const reset = Math.max(1, 60 - Math.floor((clock.time - windowStart) / 1000));
      const counterKey = `${consumer}:${windowStart}`;
      const used = counters.get(counterKey) ?? 0;
      const remaining = options.limit - used;
      const blocked = remaining <= 0 && !options.neverBlock;
      res.setHeader('X-RateLimit-Limit-Minute', String(options.limit));
      res.setHeader('X-RateLimit-Remaining-Minute', String(Math.max(0, remaining - 1)));
      res.setHeader('RateLimit-Limit', String(options.limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, remaining - 1)));
      res.setHeader('RateLimit-Reset', String(reset));
      if (blocked) {
        res.setHeader('Retry-After', String(reset));
        return kongError(res, req, 429, 'API rate limit exceeded', requestId);
      }
      counters.set(counterKey, used + 1);
    }
    res.setHeader('Via', '1.1 kong/3.11.0.0-enterprise-edition');
    res.setHeader('X-Kong-Upstream-Latency', '1');
    res.setHeader('Server', 'gunicorn');
    return json(res, req, 200, {
      args: Object.fromEntries(url.searchParams),
      headers: { Host: 'httpbin.kong.svc.cluster.local:8000', 'X-Consumer-Username': consumer, ...(req.headers.apikey ? { Apikey: req.headers.apikey } : {}) },
      url: `http://httpbin.kong.svc.cluster.local:8000${url.pathname.replace('/key-auth-route', '')}${url.search}`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    requests,
    clearCounters: () => counters.clear(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function json(res: ServerResponse, req: IncomingMessage, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
}

function kongError(res: ServerResponse, req: IncomingMessage, status: number, message: string, requestId: string, headers: Record<string, string> = {}): void {
  const text = `{\n  "message":"${message}",\n  "request_id":"${requestId}"\n}`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    Server: 'kong/3.11.0.0-enterprise-edition',
    'X-Kong-Response-Latency': '0',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

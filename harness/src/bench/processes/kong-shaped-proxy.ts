// The minimal proxy again, writing the same wire format as the gateway with key-auth + rate-limiting:
// the upstream request carries Kong's X-Forwarded-*, Via, request id and consumer headers, the
// response Kong's RateLimit-*, latency, Via and request id headers, in the gateway's order. No
// routing, plugins or log. The gap between this and the plain minimal proxy is what Kong's headers
// cost in Node (node:http and undici validate and serialise each one); the gap between the gateway
// and this is what the gateway itself costs. BENCH_PORT, BENCH_UPSTREAM (http://host:port).
// The bench checks its response header names against the gateway's before measuring.

import { createServer } from 'node:http';
import { Pool } from 'undici';
import { ConsumerHeader, ForwardedHeader, KongHeader } from '../../../../gateway/src/http/kong-headers.js';
import { newRequestId } from '../../../../gateway/src/http/request-id.js';
import { readSettings } from '../../../../gateway/src/settings.js';
import { BENCH_RATE_LIMIT_PER_MINUTE, BENCH_ROUTE_PATH } from '../gateway-config.js';

const upstreamUrl = new URL(process.env.BENCH_UPSTREAM ?? '');
const pool = new Pool(upstreamUrl.origin, { keepAliveTimeout: 60_000, pipelining: 1 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'trailer', 'host']);
/** Placed by the proxy itself, in Kong's position. */
const PLACED = new Set(['content-type', 'content-length', 'server', 'date']);
// The gateway's defaults (KONG_VERSION, KONG_EDITION), read the same way.
const SERVER_TOKEN = readSettings({}).serverToken;
const VIA = `1.1 ${SERVER_TOKEN}`;
// Fixed identities the size of the gateway's UUIDs: the consumer lookup is the gateway's work, not the wire's.
const CONSUMER_ID = '4a9ea2ac-86b5-5d39-9e4e-b4c5d1f1c0f3';
const CREDENTIAL_ID = '0b2b3f1e-5c4d-5e6f-8a7b-9c0d1e2f3a4b';
const LIMIT = String(BENCH_RATE_LIMIT_PER_MINUTE);
let used = 0;

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const startedAt = performance.now();
  const requestId = newRequestId();
  const url = req.url ?? '/';
  const path = url.startsWith(BENCH_ROUTE_PATH) ? url.slice(BENCH_ROUTE_PATH.length) || '/' : url;
  const headers: string[] = ['Host', upstreamUrl.host];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!HOP.has(raw[i].toLowerCase())) headers.push(raw[i], raw[i + 1]);
  const clientIp = req.socket.remoteAddress ?? '';
  headers.push(
    ForwardedHeader.For, clientIp,
    ForwardedHeader.Proto, 'http',
    ForwardedHeader.Host, (req.headers.host ?? '').replace(/:\d+$/, ''),
    ForwardedHeader.Port, String(req.socket.localPort),
    ForwardedHeader.Path, url,
    ForwardedHeader.Prefix, BENCH_ROUTE_PATH,
    ForwardedHeader.RealIp, clientIp,
    KongHeader.Via, VIA,
    KongHeader.RequestId, requestId,
    ConsumerHeader.Id, CONSUMER_ID,
    ConsumerHeader.Username, 'bench-consumer',
    ConsumerHeader.CredentialIdentifier, CREDENTIAL_ID,
  );
  used += 1;
  const remaining = String(BENCH_RATE_LIMIT_PER_MINUTE - used);
  const sentAt = performance.now();
  pool.dispatch({ method: req.method ?? 'GET', path, headers, body: null }, {
    onConnect() {},
    onHeaders(status: number, rawHeaders: Buffer[], resume: () => void) {
      const passed: string[] = [];
      let contentType = '';
      let contentLength = '';
      let serverName = '';
      let date = '';
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = rawHeaders[i].toString('latin1');
        const lower = name.toLowerCase();
        const value = rawHeaders[i + 1].toString('latin1');
        if (lower === 'content-type') contentType = value;
        else if (lower === 'content-length') contentLength = value;
        else if (lower === 'server') serverName = value;
        else if (lower === 'date') date = value;
        else if (!HOP.has(lower) && !PLACED.has(lower)) passed.push(name, value);
      }
      const out: string[] = [
        // Like the gateway (nginx's order): its own Date first when the upstream sent none, else the upstream's after Server.
        ...(date ? [] : ['Date', new Date().toUTCString()]),
        'Content-Type', contentType,
        'Content-Length', contentLength,
        'Connection', 'keep-alive',
        'X-RateLimit-Limit-Minute', LIMIT,
        'X-RateLimit-Remaining-Minute', remaining,
        'RateLimit-Reset', String(60 - new Date().getUTCSeconds()),
        'RateLimit-Remaining', remaining,
        'RateLimit-Limit', LIMIT,
        'Server', serverName || SERVER_TOKEN,
        ...(date ? ['Date', date] : []),
        ...passed,
        KongHeader.UpstreamLatency, String(Math.round(performance.now() - sentAt)),
        KongHeader.ProxyLatency, String(Math.round(sentAt - startedAt)),
        KongHeader.Via, VIA,
        KongHeader.RequestId, requestId,
      ];
      res.writeHead(status, out);
      res.on('drain', resume);
      return true;
    },
    onData: (chunk: Buffer) => res.write(chunk),
    onComplete: () => res.end(),
    onError(err: Error) {
      if (res.headersSent) res.destroy(err);
      else res.writeHead(502).end();
    },
  });
});
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1');
process.on('SIGTERM', () => void pool.close().finally(() => process.exit(0)));

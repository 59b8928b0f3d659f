// The Node baseline: about the least a proxy hop can do in Node — node:http in front, undici's
// Pool.dispatch with a hand-rolled handler behind (the fastest undici API), keep-alive both ways.
// No routing, plugins or logging. BENCH_PORT, BENCH_UPSTREAM (http://host:port).

import { createServer } from 'node:http';
import { Pool } from 'undici';

const pool = new Pool(process.env.BENCH_UPSTREAM ?? '', { keepAliveTimeout: 60_000, pipelining: 1 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'trailer']);

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const headers: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!HOP.has(raw[i].toLowerCase())) headers.push(raw[i], raw[i + 1]);
  const body = req.headers['content-length'] || req.headers['transfer-encoding'] ? req : null;
  pool.dispatch({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body }, {
    onConnect() {},
    onHeaders(status: number, rawHeaders: Buffer[], resume: () => void) {
      const out: string[] = [];
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = rawHeaders[i].toString('latin1');
        if (!HOP.has(name.toLowerCase())) out.push(name, rawHeaders[i + 1].toString('latin1'));
      }
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

// The embedded upstream, for machines without Debian's nginx: one fixed JSON answer to every request.
// Run as its own process (so it can be pinned): BENCH_PORT, BENCH_PAYLOAD_FILE.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const payload = readFileSync(process.env.BENCH_PAYLOAD_FILE ?? '', 'utf8');
const body = Buffer.from(payload, 'utf8');
const headers = { 'Content-Type': 'application/json', 'Content-Length': String(body.length) };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

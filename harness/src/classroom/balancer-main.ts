// Entry point of the detached balancer in front of the gateway nodes of `npm run up -- --nodes N`:
//   node --import tsx balancer-main.ts --host 127.0.0.1 --port 8000 --backend 127.0.0.1:41001 --backend …
// Prints one line once listening: {"event":"listening","url":"http://127.0.0.1:8000","port":8000}.
// SIGTERM or SIGINT closes it.

import { parseArgs } from 'node:util';
import { startTcpBalancer } from '../env/tcp-balancer.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    backend: { type: 'string', multiple: true, default: [] },
  },
});

try {
  const backends = values.backend.map((spec) => {
    const at = spec.lastIndexOf(':');
    return { host: spec.slice(0, at), port: Number(spec.slice(at + 1)) };
  });
  const balancer = await startTcpBalancer({ backends, host: values.host, port: Number(values.port) });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: balancer.url, port: balancer.port })}\n`);
  const stop = (): void => {
    void balancer.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  process.stderr.write(`${JSON.stringify({ event: 'fatal', message: (err as Error).message })}\n`);
  process.exit(1);
}

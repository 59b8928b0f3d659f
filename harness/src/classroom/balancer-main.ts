// Entry point of the detached balancer in front of the gateway nodes of `npm run up -- --nodes N`:
//   node --import tsx balancer-main.ts --host 127.0.0.1 --port 8000 --backend 127.0.0.1:41001 --backend …
// Prints one line once listening: {"event":"listening","url":"http://127.0.0.1:8000","port":8000}.
// SIGTERM or SIGINT closes it.

import { parseArgs } from 'node:util';
import { startTcpBalancer } from '../env/tcp-balancer.js';
import { serveDetached } from '../process/serve-detached.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    backend: { type: 'string', multiple: true, default: [] },
  },
});

await serveDetached(() => {
  const backends = values.backend.map((spec) => {
    const at = spec.lastIndexOf(':');
    return { host: spec.slice(0, at), port: Number(spec.slice(at + 1)) };
  });
  return startTcpBalancer({ backends, host: values.host, port: Number(values.port) });
});

// The N-nodes configuration's front: the harness's per-connection TCP balancer (env/tcp-balancer.ts)
// in a process of its own, so it is pinned to the server core and its CPU counts with the nodes'.
// BENCH_PORT, BENCH_BACKENDS (host:port,host:port,…).

import { startTcpBalancer } from '../../env/tcp-balancer.js';

const backends = (process.env.BENCH_BACKENDS ?? '').split(',').map((entry) => {
  const at = entry.lastIndexOf(':');
  return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
});
const balancer = await startTcpBalancer({ backends, host: '127.0.0.1', port: Number(process.env.BENCH_PORT) });
process.on('SIGTERM', () => void balancer.close().finally(() => process.exit(0)));

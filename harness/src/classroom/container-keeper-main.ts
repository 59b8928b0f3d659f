// Entry point of the process that owns a persistent container environment (`npm run up --runtime containers`):
//   node --import tsx container-keeper-main.ts [--proxy-port N] [--admin-port N] [--nodes N] [--redis]
//   (ports 0 or absent: free ones)
// Our containers carry their creator's pid, and every container start removes those whose creator is
// gone; this small process is that creator for as long as the environment should live. It prints JSON
// lines: {"event":"progress","message":…} while starting, then {"event":"ready",…} or {"event":"failed",…}.
// With several nodes the balancer in front of them runs in this process too. SIGTERM (npm run down)
// stops it and removes the containers and the network, then ends it.

import { parseArgs } from 'node:util';
import { startContainerEnvironment } from '../env/containers/container-environment.js';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

try {
  const { values } = parseArgs({
    options: {
      'proxy-port': { type: 'string', default: '0' },
      'admin-port': { type: 'string', default: '0' },
      nodes: { type: 'string', default: '1' },
      redis: { type: 'boolean', default: false },
    },
  });
  const env = await startContainerEnvironment({
    onProgress: (message) => say({ event: 'progress', message }),
    proxyPort: Number(values['proxy-port']),
    adminPort: Number(values['admin-port']),
    nodes: Number(values.nodes),
    redis: values.redis,
  });
  say({
    event: 'ready',
    proxyUrl: env.proxyUrl,
    adminUrl: env.adminUrl,
    upstream: env.upstream,
    nodes: env.nodes,
    redis: { host: env.redis.host, port: env.redis.port },
    environmentId: env.environmentId,
    network: env.network,
    containers: env.containers,
    images: env.images,
  });
  const stop = (signal: NodeJS.Signals): void => {
    say({ event: 'stopping', signal });
    void env.close().finally(() => process.exit(0));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, stop);
  // Nothing else keeps this process alive once the containers run.
  setInterval(() => undefined, 2 ** 31 - 1);
} catch (err) {
  say({ event: 'failed', message: (err as Error).message });
  process.exit(1);
}

// Entry point of the process that owns a persistent container environment (`npm run up --runtime containers`):
//   node --import tsx container-keeper-main.ts
// Our containers carry their creator's pid, and every container start removes those whose creator is
// gone; this small process is that creator for as long as the environment should live. It prints JSON
// lines: {"event":"progress","message":…} while starting, then {"event":"ready",…} or {"event":"failed",…}.
// SIGTERM (npm run down) removes the containers and the network, then ends it.

import { startContainerEnvironment } from '../containers/container-environment.js';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

try {
  const env = await startContainerEnvironment({ onProgress: (message) => say({ event: 'progress', message }) });
  say({
    event: 'ready',
    proxyUrl: env.proxyUrl,
    adminUrl: env.adminUrl,
    upstream: env.upstream,
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

// Starts the gateway as `npm run gateway` runs it (node + tsx on main.ts), on free loopback ports,
// and resolves once it prints its `listening` line.

import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** `npm run gateway`'s entry point. */
export const GATEWAY_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface StartedProcess {
  child: ResultPromise;
  proxy: string;
  admin: string;
  stdoutLines: string[];
}

export async function startGatewayProcess(env: Record<string, string>): Promise<StartedProcess> {
  const child = execa(process.execPath, ['--import', 'tsx', GATEWAY_MAIN], {
    env: { KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0', ...env },
    reject: false,
    cleanup: true,
  });
  const stdoutLines: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<{ proxy_listen: string; admin_listen: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      stdoutLines.push(line);
      const parsed = JSON.parse(line);
      if (parsed.event === 'listening') resolve(parsed);
    });
    child.then((result) => reject(new Error(`gateway exited early: ${result.stderr}`)));
  });
  const started = await listening;
  return { child, proxy: `http://${started.proxy_listen}`, admin: `http://${started.admin_listen}`, stdoutLines };
}

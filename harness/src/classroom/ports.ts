// Whether a loopback port can be listened on right now (the classroom's usual 8000 and 8001).

import { createServer } from 'node:net';
import { LabkitError } from '../errors/labkit-error.js';

export { KONG_ADMIN_PORT as DEFAULT_ADMIN_PORT, KONG_PROXY_PORT as DEFAULT_PROXY_PORT } from '../constants.js';

export type PortCheck = { free: true } | { free: false; problem: string };

export function checkPort(port: number, host = '127.0.0.1'): Promise<PortCheck> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => resolve({ free: false, problem: err.code ?? err.message }));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve({ free: true }));
    });
  });
}

/** A port `npm run up` was told to use (or defaults to) is taken, and --any-port was not given. */
export class PortTakenError extends LabkitError {
  constructor(taken: Array<{ flag: string; port: number; problem: string }>) {
    const what = taken.map((entry) => `port ${entry.port} (${entry.flag}) is taken (${entry.problem})`).join('; ');
    const other = taken.map((entry) => `${entry.flag} ${entry.port + 80}`).join(' ');
    super('PORT_TAKEN', {
      problem: what,
      fix:
        `stop what listens there (ss -ltnp 'sport = :${taken[0].port}' names it; an earlier npm run up? npm run status, then npm run down),\n` +
        `or choose other ports: npm run up -- ${other}   (then the class uses the DATA_PLANE_LB that up prints),\n` +
        'or take any free ports: npm run up -- --any-port',
    });
    this.name = 'PortTakenError';
  }
}

export interface ChosenPorts {
  /** 0 = any free port. */
  proxyPort: number;
  adminPort: number;
  /** What --any-port changed, to repeat in npm run status. */
  notes: string[];
}

/**
 * The ports an environment of `npm run up` listens on, on any runtime: the ones asked for when free;
 * a taken one is PortTakenError, or with `anyPort` a free port and a note.
 */
export async function choosePorts(wanted: { proxyPort: number; adminPort: number }, anyPort: boolean): Promise<ChosenPorts> {
  const chosen: ChosenPorts = { ...wanted, notes: [] };
  const taken: Array<{ flag: string; port: number; problem: string }> = [];
  for (const [key, flag, what] of [['proxyPort', '--proxy-port', 'proxy'], ['adminPort', '--admin-port', 'Admin API']] as const) {
    const port = wanted[key];
    if (port === 0) continue;
    const check = await checkPort(port);
    if (check.free) continue;
    if (!anyPort) {
      taken.push({ flag, port, problem: check.problem });
      continue;
    }
    chosen[key] = 0;
    chosen.notes.push(`port ${port} (${what}) was taken (${check.problem}), so a free port was used instead (--any-port)`);
  }
  if (taken.length > 0) throw new PortTakenError(taken);
  return chosen;
}

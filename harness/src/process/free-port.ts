// A free port for a server of ours: bind port 0, read the port the kernel chose, release it.

import { createServer } from 'node:net';
import { LOOPBACK } from '../constants.js';

export function freePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (err) => reject(new Error(`cannot find a free port on ${host}: ${err.message}`)));
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// Whether a loopback port can be listened on right now (the classroom's usual 8000 and 8001).

import { createServer } from 'node:net';

export const DEFAULT_PROXY_PORT = 8000;
export const DEFAULT_ADMIN_PORT = 8001;

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

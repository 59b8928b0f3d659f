// Free loopback ports, and waiting for a server to answer.

import { createServer } from 'node:net';
import { request } from 'undici';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers with any status; false after `timeoutMs` or once `gone()` says the server died. */
export async function waitForHttp(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone()) {
    try {
      const response = await request(url, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await response.body.dump();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

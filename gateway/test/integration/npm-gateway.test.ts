// `npm run gateway` as attendees start it: a SIGTERM to the npm process must stop the gateway
// itself, not leave it serving as an orphan (npm and sh exiting while the node below keeps the ports).

import { afterAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isAlive, processTree } from '../../../harness/test/env/processes.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const EXIT_BOUND_MS = 15_000;

function listening(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('npm run gateway', () => {
  let npm: ResultPromise | undefined;
  let below: number[] = [];

  afterAll(() => {
    // Only processes this test started, and only if they outlived the assertion that they must not.
    for (const pid of below) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    npm?.kill('SIGKILL');
  });

  it('stops the gateway when the npm process gets SIGTERM: nothing listens and no process remains', async () => {
    npm = execa('npm', ['run', '--silent', 'gateway'], {
      cwd: REPO_ROOT,
      env: { KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0' },
      reject: false,
      cleanup: true,
    });
    const started = await new Promise<{ proxy_listen: string; admin_listen: string }>((resolve, reject) => {
      createInterface({ input: npm!.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const parsed = JSON.parse(line);
        if (parsed.event === 'listening') resolve(parsed);
      });
      npm!.then((result) => reject(new Error(`npm run gateway exited early: ${result.stderr}`)));
    });
    below = processTree(npm.pid!).filter((pid) => pid !== npm!.pid);
    expect(below.length).toBeGreaterThan(0);
    expect(await listening(started.proxy_listen)).toBe(true);

    // Awaiting execa's result would wait for stdout to close, which an orphan holding it never does.
    const exited = new Promise<void>((resolve) => npm!.once('exit', () => resolve()));
    npm.kill('SIGTERM');
    await exited;
    // The gateway drains and exits by itself; give it a bounded time to do so.
    const deadline = Date.now() + EXIT_BOUND_MS;
    while (below.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(below.filter(isAlive)).toEqual([]);
    expect(await listening(started.proxy_listen)).toBe(false);
    expect(await listening(started.admin_listen)).toBe(false);
  });
});

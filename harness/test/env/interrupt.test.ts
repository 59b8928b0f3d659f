import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { isAlive, processesMatching, processTree } from './processes.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-and-wait.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the process-wide cleanup', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('closes every open environment on %s, then ends the process by that signal', async (signal) => {
    const child = execa(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: REPO_ROOT, reject: false, buffer: false, stdout: 'pipe', stderr: 'inherit' });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const started = JSON.parse(line) as { gatewayPid: number; upstreamUrl: string };
    const port = new URL(started.upstreamUrl).port;
    const pids = [...processTree(started.gatewayPid), ...processesMatching('gunicorn', `127.0.0.1:${port}`)];
    expect(pids.length).toBeGreaterThan(0);

    child.kill(signal);
    const result = await child;
    expect(result.signal).toBe(signal);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
  });
});

// The launcher for Debian's real httpbin: free port, readiness, clear errors, and no process left
// behind — neither after close() nor when the parent process exits without calling it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { debianHttpbinAvailability, freePort, startDebianHttpbin } from '../../src/upstream/debian-httpbin.js';
import { startEmbeddedHttpbin } from '../../src/upstream/embedded-httpbin.js';
import { startUpstream, UpstreamStartError, type RunningUpstream, type UpstreamChoice } from '../../src/upstream/index.js';
import { requireOrSkip } from '../../src/upstream/requirements.js';
import { send } from './http-client.js';

const gate = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
if (gate.skip) console.warn(`[upstream debian-httpbin] SKIPPED: ${gate.reason}`);

const LAUNCHER = fileURLToPath(new URL('../../src/upstream/debian-httpbin.ts', import.meta.url));

/** PIDs of gunicorn processes (master and workers) bound to this port. */
function gunicornPids(port: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.endsWith('/gunicorn')) && cmdline.includes(`127.0.0.1:${port}`)) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** Polls until no gunicorn process is bound to the port; gives up (and returns what is left) after `boundMs`. */
async function gunicornGone(port: number, boundMs: number): Promise<number[]> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const left = gunicornPids(port);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const started: RunningUpstream[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((u) => u.close()));
});
async function start(choice: UpstreamChoice, options?: { port?: number }): Promise<RunningUpstream> {
  const upstream = await startUpstream(choice, options);
  started.push(upstream);
  return upstream;
}

describe.skipIf(gate.skip)(`Debian httpbin launcher${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  it('reports availability once and starts gunicorn on a free loopback port', async () => {
    expect(debianHttpbinAvailability()).toEqual({ available: true, gunicorn: '/usr/bin/gunicorn' });
    expect(debianHttpbinAvailability()).toBe(debianHttpbinAvailability()); // cached

    const upstream = await start('debian-httpbin');
    expect(upstream).toMatchObject({ kind: 'debian-httpbin', host: '127.0.0.1', url: `http://127.0.0.1:${upstream.port}` });
    const reply = await send(upstream.url, '/get');
    expect(reply.status).toBe(200);
    expect(reply.headers.server).toBe('gunicorn');
  });

  it('auto picks Debian’s httpbin when it is installed', async () => {
    expect((await start('auto')).kind).toBe('debian-httpbin');
  });

  it('close() stops the master and its workers, and can be called twice', async () => {
    const upstream = await startDebianHttpbin();
    const pids = gunicornPids(upstream.port);
    expect(pids.length).toBeGreaterThanOrEqual(2); // master + one gevent worker
    await upstream.close();
    await upstream.close();
    expect(gunicornPids(upstream.port)).toEqual([]);
  });

  it('close() does not wait for a request in progress', async () => {
    const upstream = await startDebianHttpbin();
    const pending = send(upstream.url, '/delay/10').then(
      () => 'answered',
      (err: Error) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the request reach a worker
    await upstream.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(gunicornPids(upstream.port)).toEqual([]);
  });

  it('listens on the port it is given, and says so clearly when that port is taken', async () => {
    const port = await freePort('127.0.0.1');
    const upstream = await start('debian-httpbin', { port });
    expect(upstream.url).toBe(`http://127.0.0.1:${port}`);

    const squatter = await startEmbeddedHttpbin();
    started.push(squatter);
    const failure = startDebianHttpbin({ port: squatter.port });
    await expect(failure).rejects.toBeInstanceOf(UpstreamStartError);
    await expect(failure).rejects.toThrow(/gunicorn stderr[\s\S]*(Connection in use|Address already in use)/);
    expect(gunicornPids(squatter.port)).toEqual([]);
  });

  it('takes gunicorn down when the parent process exits without close()', async () => {
    const script =
      `import { startDebianHttpbin } from ${JSON.stringify(LAUNCHER)};` +
      'const upstream = await startDebianHttpbin(); console.log(upstream.port); process.exit(0);';
    const child = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    const port = Number(child.stdout.trim().split('\n').pop());
    expect(port).toBeGreaterThan(0);
    // gunicorn gets SIGTERM as the parent exits and stops within its 2 s graceful timeout.
    expect(await gunicornGone(port, 10_000)).toEqual([]);
  });

  it('takes gunicorn down even when the parent process is SIGKILLed', async () => {
    const script =
      `import { startDebianHttpbin } from ${JSON.stringify(LAUNCHER)};` +
      'const upstream = await startDebianHttpbin(); console.log(upstream.port); setInterval(() => {}, 1000);';
    const child = execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false });
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
    expect(gunicornPids(port).length).toBeGreaterThanOrEqual(1);
    child.kill('SIGKILL');
    await child;
    // No exit hook runs after SIGKILL: the parent-death signal set through setpriv stops gunicorn.
    expect(await gunicornGone(port, 10_000)).toEqual([]);
  });
});

describe('startUpstream', () => {
  it('starts the embedded server when asked', async () => {
    const upstream = await start('embedded-httpbin');
    expect(upstream.kind).toBe('embedded-httpbin');
    expect((await send(upstream.url, '/get')).headers.server).toBe('labkit-httpbin');
  });

  it('rejects an unknown choice with UpstreamStartError', async () => {
    await expect(startUpstream('kennethreitz' as UpstreamChoice)).rejects.toBeInstanceOf(UpstreamStartError);
  });
});

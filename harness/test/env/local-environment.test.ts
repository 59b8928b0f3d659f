import { createServer } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { connectExternalEnvironment, EnvironmentConnectError, EnvironmentStartError, startLocalEnvironment } from '../../src/env/index.js';
import { openCleanupCount } from '../../src/env/cleanup.js';
import { isAlive, ourDescendantsMatching, processesMatching, processTree } from './processes.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('startLocalEnvironment', () => {
  it('starts httpbin and the gateway; with no configuration the proxy answers 404; close() leaves no process behind', async () => {
    const progress: string[] = [];
    const env = await startLocalEnvironment({ onProgress: (message) => progress.push(message) });
    const upstreamPort = new URL(env.upstream!.url).port;
    const gatewayTree = processTree(env.gatewayPid);
    const gunicorns = processesMatching('gunicorn', `127.0.0.1:${upstreamPort}`);
    try {
      expect(env.runtime).toBe('local');
      expect(env.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(progress[0]).toMatch(/^starting httpbin \(/);
      expect(progress.some((message) => message.includes('starting the gateway…'))).toBe(true);
      expect(progress.at(-1)).toMatch(/^ready in \d+\.\d s$/);
      expect(gatewayTree.length).toBeGreaterThan(0);
      if (env.upstream!.kind === 'debian-httpbin') expect(gunicorns.length).toBeGreaterThan(0);

      const response = await request(`${env.proxyUrl}/key-auth-route/get`);
      expect(response.statusCode).toBe(404);
      expect(await response.body.json()).toMatchObject({ message: 'no Route matched with those values' });

      const status = await request(`${env.adminUrl}/status`);
      expect(status.statusCode).toBe(200);
      await status.body.dump();
    } finally {
      await env.close();
    }
    for (const pid of [...gatewayTree, ...gunicorns]) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
    expect(openCleanupCount()).toBe(0);
    await env.close(); // idempotent
  });

  it('fails with a clear EnvironmentStartError when the gateway cannot start, and stops httpbin', async () => {
    let error: unknown;
    try {
      const env = await startLocalEnvironment({ gatewayEnv: { KONG_PROXY_LISTEN: 'not-an-address' } });
      await env.close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvironmentStartError);
    const message = (error as Error).message;
    expect(message).toContain('the gateway exited with code 1 before it was listening');
    expect(message).toContain('KONG_PROXY_LISTEN');
    expect(message).toContain('--- gateway stderr (last lines) ---');
    expect(ourDescendantsMatching('gunicorn')).toEqual([]);
    expect(ourDescendantsMatching('gateway/src/main.ts')).toEqual([]);
    expect(openCleanupCount()).toBe(0);
  });
});

describe('connectExternalEnvironment', () => {
  it('accepts a gateway whose Admin API answers, and has nothing to close', async () => {
    const local = await startLocalEnvironment();
    try {
      const external = await connectExternalEnvironment({ proxyUrl: `${local.proxyUrl}/`, adminUrl: local.adminUrl });
      expect(external).toMatchObject({ runtime: 'external', proxyUrl: local.proxyUrl, adminUrl: local.adminUrl, upstream: null });
      await external.close();
      const still = await request(`${local.adminUrl}/status`);
      expect(still.statusCode).toBe(200);
      await still.body.dump();
    } finally {
      await local.close();
    }
  });

  it('says which URL failed and how', async () => {
    const port = await closedPort();
    const attempt = connectExternalEnvironment({ proxyUrl: 'http://127.0.0.1:8000', adminUrl: `http://127.0.0.1:${port}` });
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentConnectError);
    await expect(attempt).rejects.toThrow(`cannot use http://127.0.0.1:${port}/status: GET failed: connection refused`);
    await expect(connectExternalEnvironment({ proxyUrl: 'nope', adminUrl: 'http://x' })).rejects.toThrow('the proxy URL is not a URL');
  });
});

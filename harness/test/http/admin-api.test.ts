import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../gateway/src/gateway.js';
import { AdminApi, AdminApiError, HttpRequestError, nodeAdminApis, waitForAdminApi } from '../../src/http/index.js';
import { startDeckGateway } from '../deck/deck-run.js';

const DECLARATION = {
  _format_version: '3.0',
  services: [{ name: 'httpbin', url: 'http://httpbin.kong.svc.cluster.local:8000', routes: [{ name: 'r', paths: ['/anything'] }] }],
  plugins: [{ name: 'rate-limiting', config: { minute: 5, policy: 'local' } }],
};

let first: { gateway: RunningGateway; adminUrl: string; proxyUrl: string };
let second: { gateway: RunningGateway; adminUrl: string; proxyUrl: string };

beforeAll(async () => {
  [first, second] = await Promise.all([startDeckGateway(), startDeckGateway()]);
});
afterAll(async () => {
  await Promise.all([first?.gateway.close(), second?.gateway.close()]);
});

async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('AdminApi against our gateway', () => {
  it('reads the version and status, applies a declaration, and reads it back', async () => {
    const admin = new AdminApi(`${first.adminUrl}/`);
    expect(admin.url).toBe(first.adminUrl);
    expect(await admin.version()).toMatch(/^3\.11\./);
    const before = (await admin.status()).configurationHash;
    expect(await admin.postConfig(DECLARATION)).toEqual({ ok: true });
    const after = (await admin.status()).configurationHash;
    expect(after).toMatch(/^[0-9a-f]{32}$/);
    expect(after).not.toBe(before);
    expect(await admin.readConfig()).toContain('httpbin.kong.svc.cluster.local');
    expect(await admin.health()).toEqual({ reachable: true, configurationHash: after });
  });

  it("hands back Kong's rejection of a declaration and leaves the running one", async () => {
    const admin = new AdminApi(first.adminUrl);
    await admin.postConfig(DECLARATION);
    const hash = (await admin.status()).configurationHash;
    const rejected = await admin.postConfig({ _format_version: '3.0', services: [{ name: 'x', url: 'not a url' }] });
    expect(rejected).toMatchObject({ ok: false, status: 400 });
    expect((rejected as { body: { message?: string } }).body.message).toMatch(/declarative config is invalid/);
    expect((await admin.status()).configurationHash).toBe(hash);
  });

  it('counts and clears the rate-limit counters, and purges the proxy cache', async () => {
    const admin = new AdminApi(first.adminUrl);
    await admin.postConfig(DECLARATION);
    expect(await admin.clearCounters()).toBe('cleared');
    expect(await admin.counters()).toEqual({ state: 'known', count: 0 });
    await admin.purgeProxyCache();
  });

  it('says which Admin API did not answer, and what answered wrongly', async () => {
    const port = await closedPort();
    const gone = new AdminApi(`http://127.0.0.1:${port}`);
    await expect(gone.status()).rejects.toBeInstanceOf(HttpRequestError);
    await expect(gone.status()).rejects.toThrow(`could not reach the gateway's Admin API at http://127.0.0.1:${port}/status: connection refused`);
    expect(await gone.health()).toEqual({ reachable: false, problem: 'connection refused' });
    // The proxy port is a server, not an Admin API: its 404 is named with the request.
    const wrong = new AdminApi(first.proxyUrl);
    await expect(wrong.status()).rejects.toBeInstanceOf(AdminApiError);
    await expect(wrong.status()).rejects.toThrow(`GET ${first.proxyUrl}/status answered HTTP 404`);
  });

  it("names every node of an environment once, node 1 first", () => {
    const apis = nodeAdminApis({ adminUrl: first.adminUrl, nodes: [{ adminUrl: `${first.adminUrl}/` }, { adminUrl: second.adminUrl }] });
    expect(apis.map((api) => api.url)).toEqual([first.adminUrl, second.adminUrl]);
    expect(nodeAdminApis({ adminUrl: first.adminUrl }).map((api) => api.url)).toEqual([first.adminUrl]);
  });

  it('waits for an Admin API that answers, and says why when none does', async () => {
    expect(await waitForAdminApi(second.adminUrl, 5_000)).toEqual({ ready: true });
    const port = await closedPort();
    expect(await waitForAdminApi(`http://127.0.0.1:${port}`, 1_000)).toEqual({
      ready: false,
      problem: `the gateway's Admin API did not answer at http://127.0.0.1:${port}/status within 1 s (last: connection refused)`,
    });
  });
});

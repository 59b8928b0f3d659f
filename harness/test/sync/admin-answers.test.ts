// How the sync treats Admin API answers other than our gateway's: a real Kong (no counter
// endpoint, a database), and no gateway at all.

import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { resetGateway, SyncError, syncDeclarationText } from '../../src/sync/index.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A minimal Kong Admin API: DB-less /config and /status, and 404 for everything else. */
async function fakeKong(options: { dbMode?: boolean } = {}): Promise<string> {
  server = createServer((req, res) => {
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (options.dbMode && req.url?.startsWith('/config')) {
        send(400, { message: 'this endpoint is only available when Kong is configured to not use a database' });
      } else if (req.method === 'GET' && req.url === '/config') send(200, { config: '_format_version: "3.0"\n_transform: false\n' });
      else if (req.method === 'POST' && req.url?.startsWith('/config')) send(201, {});
      else if (req.method === 'GET' && req.url === '/status') send(200, { configuration_hash: 'a'.repeat(32) });
      else send(404, { message: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as { port: number }).port}`;
}

describe('Admin API answers', () => {
  it("reports counters as 'unsupported' on a gateway without the lab kit's counter endpoint (a real Kong)", async () => {
    const adminUrl = await fakeKong();
    const report = await syncDeclarationText(WORKSHOP_STEPS[0], 'key-auth.yaml', { adminUrl });
    expect(report.counters).toBe('unsupported');
    expect(report.configurationHash).toBe('a'.repeat(32));
    expect((await resetGateway({ adminUrl, resetCounters: false })).counters).toBe('kept');
  });

  it('explains that a Kong with a database cannot be synced through POST /config', async () => {
    const adminUrl = await fakeKong({ dbMode: true });
    const attempt = syncDeclarationText(WORKSHOP_STEPS[0], 'key-auth.yaml', { adminUrl });
    await expect(attempt).rejects.toBeInstanceOf(SyncError);
    await expect(attempt).rejects.toThrow('which needs a DB-less gateway');
  });

  it('says which Admin API URL could not be reached', async () => {
    const adminUrl = await fakeKong();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const attempt = syncDeclarationText(WORKSHOP_STEPS[0], 'key-auth.yaml', { adminUrl: `${adminUrl}/` });
    await expect(attempt).rejects.toThrow(`key-auth.yaml: could not reach the gateway's Admin API at ${adminUrl}/config: connection refused. Is the gateway running, and is this its Admin API address?`);
  });
});

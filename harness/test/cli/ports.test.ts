// The class URL is the slides' URL on every runtime: `npm run up` listens on the ports it is given
// (8000/8001 by default), on containers too; a taken port is an error with the fix, unless --any-port.

import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePorts, PortTakenError } from '../../src/classroom/ports.js';
import { dockerRequirement } from '../../src/env/containers/requirements.js';
import { labContainer } from '../../src/env/containers/lab-container.js';
import { freePort } from '../../src/upstream/debian-httpbin.js';
import { record, runScript, stateDirTracker } from '../classroom/scripts.js';
import { environmentResources } from '../env/containers/docker-state.js';

const docker = await dockerRequirement();
const stateDirs = stateDirTracker();
let holder: Server;
let heldPort: number;

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  heldPort = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => holder.close(() => resolve()));
  await stateDirs.cleanUp();
});

describe('choosing the ports of npm run up', () => {
  it('keeps free ports, refuses a taken one with the fix, or with --any-port takes a free one and says so', async () => {
    const free = await freePort('127.0.0.1');
    expect(await choosePorts({ proxyPort: free, adminPort: 0 }, false)).toEqual({ proxyPort: free, adminPort: 0, notes: [] });
    await expect(choosePorts({ proxyPort: free, adminPort: heldPort }, false)).rejects.toThrow(PortTakenError);
    await expect(choosePorts({ proxyPort: free, adminPort: heldPort }, false)).rejects.toThrow(
      new RegExp(`^port ${heldPort} \\(--admin-port\\) is taken \\(EADDRINUSE\\)\\nFix: .*\\nor choose other ports: npm run up -- --admin-port ${heldPort + 80} .*\\nor take any free ports: npm run up -- --any-port$`),
    );
    expect(await choosePorts({ proxyPort: heldPort, adminPort: 0 }, true)).toEqual({
      proxyPort: 0,
      adminPort: 0,
      notes: [`port ${heldPort} (proxy) was taken (EADDRINUSE), so a free port was used instead (--any-port)`],
    });
  });

  it('refuses a taken port on containers too, before anything starts (exit 1)', { timeout: 60_000 }, async () => {
    const dir = stateDirs.next();
    const up = await runScript('up', ['--runtime', 'containers', '--proxy-port', String(heldPort), '--admin-port', '0'], dir);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`error[PORT_TAKEN]: port ${heldPort} (--proxy-port) is taken (EADDRINUSE)\n`);
    expect(existsSync(join(dir, 'environment.json'))).toBe(false);
  });

  it('publishes the gateway container on the host ports asked for, on 127.0.0.1', async () => {
    const testcontainers = await import('testcontainers');
    const spec = { image: 'x', name: 'x', network: 'n', ports: [8000, 8001], labels: {}, readyLog: /x/, startupTimeoutMs: 1 };
    const fixed = labContainer(testcontainers, { ...spec, loopbackOnly: true, hostPorts: { 8000: 18000, 8001: 0 } }) as unknown as { hostConfig: { PortBindings: Record<string, unknown> } };
    expect(fixed.hostConfig.PortBindings).toEqual({
      '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18000' }],
      '8001/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }],
    });
    const remote = labContainer(testcontainers, { ...spec, loopbackOnly: false, hostPorts: { 8000: 18000 } }) as unknown as { hostConfig: { PortBindings: Record<string, unknown> } };
    expect(remote.hostConfig.PortBindings['8000/tcp']).toEqual([{ HostPort: '18000' }]);
  });
});

describe.skipIf(docker.skip)(docker.skip ? `npm run up on containers with fixed ports — skipped: ${docker.reason}` : 'npm run up on containers with fixed ports', () => {
  it('listens on --proxy-port and --admin-port; down removes it', { timeout: 900_000 }, async () => {
    const dir = stateDirs.next();
    const proxyPort = await freePort('127.0.0.1');
    const adminPort = await freePort('127.0.0.1');
    const up = await runScript('up', ['--runtime', 'containers', '--proxy-port', String(proxyPort), '--admin-port', String(adminPort)], dir);
    expect(up.exitCode, up.stderr).toBe(0);
    const rec = record(dir);
    expect(rec.proxyUrl).toBe(`http://127.0.0.1:${proxyPort}`);
    expect(rec.adminUrl).toBe(`http://127.0.0.1:${adminPort}`);
    expect(up.stdout).toContain(`export DATA_PLANE_LB=http://127.0.0.1:${proxyPort}`);
    const down = await runScript('down', [], dir);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await environmentResources(rec.containers!.environmentId)).toEqual({ containers: [], networks: [] });
  });
});

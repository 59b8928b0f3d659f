// A running local environment changes its node count, as a data plane's `replicas: N` does: new nodes hold
// the running declaration before they join the balancer (a local-policy limit of 5 then lets 15 through on
// 3 nodes), removed nodes leave it and stop, and close() leaves none behind.

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment } from '../../src/env/local.js';
import type { LocalLabEnvironment } from '../../src/env/types.js';
import { runLab } from '../../src/runner/run-lab.js';
import { syncLab } from '../../src/session/sync-and-run.js';
import { findLab, loadLabs } from '../../src/spec/discover.js';
import { isAlive } from './processes.js';

const labs = loadLabs();
let env: LocalLabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
}, 120_000);

afterAll(async () => {
  await env?.close();
});

async function hashOf(adminUrl: string): Promise<string> {
  const response = await request(`${adminUrl}/status`);
  return ((await response.body.json()) as { configuration_hash: string }).configuration_hash;
}

describe('LocalLabEnvironment.scale', () => {
  const pids: number[] = [];

  it('from 1 to 3 nodes: the new ones hold node 1\'s declaration, and a balancer now stands in front', { timeout: 180_000 }, async () => {
    const direct = env.proxyUrl;
    expect(env.nodes).toHaveLength(1);
    await syncLab(findLab(labs, 'three-nodes-local-policy'), env);
    await env.scale(3);
    expect(env.nodes).toHaveLength(3);
    expect(env.nodes![0].pid).toBe(env.gatewayPid);
    expect(env.proxyUrl).not.toBe(direct);
    expect(env.nodes!.map((node) => node.proxyUrl)).not.toContain(env.proxyUrl);
    // One configuration on every node (the hash is of the text a node was given: all got node 1's export).
    const hashes = await Promise.all(env.nodes!.map((node) => hashOf(node.adminUrl)));
    expect(new Set(hashes).size, hashes.join(' ')).toBe(1);
    pids.push(...env.nodes!.map((node) => node.pid!));
    // Node 1's counters were cleared by the sync, the new nodes start empty: 5 on each, 15 in all, then 429.
    const result = await runLab(findLab(labs, 'three-nodes-local-policy'), env, { counters: 'cleared' });
    expect(result.passed, JSON.stringify(result.checks.map((check) => check.expectations.filter((e) => !e.ok)))).toBe(true);
  });

  it('from 3 to 1: the removed nodes leave the balancer and stop; the proxy URL stays', { timeout: 180_000 }, async () => {
    const balancer = env.proxyUrl;
    await env.scale(1);
    expect(env.nodes!.map((node) => node.pid)).toEqual([pids[0]]);
    expect(isAlive(pids[1])).toBe(false);
    expect(isAlive(pids[2])).toBe(false);
    expect(env.proxyUrl).toBe(balancer);
    await syncLab(findLab(labs, 'route-rate-limit'), env);
    const result = await runLab(findLab(labs, 'route-rate-limit'), env, { counters: 'cleared' });
    expect(result.passed).toBe(true);
  });

  it('refuses a count it cannot run, and changes nothing', async () => {
    await expect(env.scale(0)).rejects.toThrow(/a whole number from 1 to 9, not 0/);
    await expect(env.scale(2.5)).rejects.toThrow(/not 2\.5/);
    expect(env.nodes).toHaveLength(1);
  });

  it('close() stops every node it ever started', async () => {
    await env.scale(2);
    const last = env.nodes!.map((node) => node.pid!);
    await env.close();
    for (const pid of [...pids, ...last]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  });
});

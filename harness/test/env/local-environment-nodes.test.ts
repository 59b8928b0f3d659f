// A local environment of 3 gateway nodes: the sync reaches every node (each holds node 1's
// configuration_hash and serves the route itself), the runner's requests each open a connection the
// balancer hands to the next node, and a node that disagrees fails the sync.

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment } from '../../src/env/local.js';
import type { LocalLabEnvironment } from '../../src/env/types.js';
import { runLab } from '../../src/runner/run-lab.js';
import { syncLab, syncToEnvironment } from '../../src/session/sync-and-run.js';
import { findLab, loadLabs } from '../../src/spec/discover.js';
import { syncDeclarationText } from '../../src/sync/index.js';

const labs = loadLabs();
let env: LocalLabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({ nodes: 3, upstream: 'embedded-httpbin' });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

async function hashOf(adminUrl: string): Promise<string> {
  const response = await request(`${adminUrl}/status`);
  return ((await response.body.json()) as { configuration_hash: string }).configuration_hash;
}

describe('startLocalEnvironment({ nodes: 3 })', () => {
  it('reports three nodes; the proxy URL is the balancer, the Admin API node 1', () => {
    expect(env.nodes).toHaveLength(3);
    expect(env.adminUrl).toBe(env.nodes![0].adminUrl);
    expect(env.nodes!.map((node) => node.proxyUrl)).not.toContain(env.proxyUrl);
  });

  it('a sync applies the declaration to every node and reports once', async () => {
    const report = await syncLab(findLab(labs, 'three-nodes-local-policy'), env);
    for (const node of env.nodes!) {
      expect(await hashOf(node.adminUrl)).toBe(report.configurationHash);
      // Straight to the node, past the balancer: each serves the route.
      const response = await request(`${node.proxyUrl}/scaled-route/get`);
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    }
  });

  it('each request of a walk-through is a new connection: 5 per node pass, 15 in all', async () => {
    const lab = findLab(labs, 'three-nodes-local-policy');
    const sync = await syncLab(lab, env);
    const result = await runLab(lab, env, { counters: sync.counters, retries: false });
    expect(result.passed, JSON.stringify(result.checks.map((c) => c.exchanges.map((e) => e.response?.status)))).toBe(true);
    // Near the end of a minute the runner sends one request, waits for the next window and starts again:
    // that first one is kept, unchecked, and is not part of the 15.
    const checked = result.checks[0].exchanges.filter((exchange) => exchange.expectations.length > 0);
    expect(checked.filter((exchange) => exchange.response?.status === 200)).toHaveLength(15);
  });

  it('a node left with another configuration is brought back by the next sync of the environment', async () => {
    // Only node 3 gets a different declaration behind the harness's back.
    await syncDeclarationText('_format_version: "3.0"\nservices:\n- name: odd\n  url: http://127.0.0.1:9\n', 'odd.yaml', { adminUrl: env.nodes![2].adminUrl });
    expect(await hashOf(env.nodes![2].adminUrl)).not.toBe(await hashOf(env.nodes![0].adminUrl));
    // The environment's sync posts to every node, not only to node 1.
    const report = await syncToEnvironment('_format_version: "3.0"\n', 'empty.yaml', env);
    for (const node of env.nodes!) expect(await hashOf(node.adminUrl)).toBe(report.configurationHash);
  });
});

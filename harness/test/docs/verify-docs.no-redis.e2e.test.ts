// A page whose declaration uses `policy: redis`, on an environment with no Redis (local processes on a laptop without
// redis-server; the containers runtime runs its own): the gateway would proxy unlimited, so the page is not verifiable, said with the reason,
// rather than a wall of rate-limit drifts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { resetGateway } from '../../src/sync/index.js';
import { CONTENT_DIR, readPage, verifyPage } from '../../src/docs/index.js';

const E2E_TIMEOUT_MS = 120_000;
let env: LabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment();
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

describe('a policy: redis page where no Redis runs', () => {
  it('is not verifiable, names why, and compares none of its blocks', { timeout: E2E_TIMEOUT_MS }, async () => {
    await resetGateway({ adminUrl: env.adminUrl, resetCounters: true });
    const withoutRedis = { runtime: 'local' as const, proxyUrl: env.proxyUrl, adminUrl: env.adminUrl, upstream: env.upstream, redis: null, close: async () => {} };
    const result = await verifyPage(readPage(join(CONTENT_DIR, 'api-key-authentication', '16-three-nodes-redis-policy.md')), withoutRedis as unknown as LabEnvironment, {});
    expect(result.notVerifiable).toMatch(/^not verifiable: its declaration uses policy: redis and this environment has no Redis \(redis-server is not installed .*the containers runtime, which runs its own, is not in use\)$/);
    expect(result.steps.every((step) => step.drifts.length === 0)).toBe(true);
    expect(result.steps.filter((step) => step.step.kind === 'request').every((step) => step.skipped !== undefined)).toBe(true);
  });
});

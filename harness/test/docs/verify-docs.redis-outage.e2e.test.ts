// Page 17 stops Redis mid-page with `npm run redis -- stop` and starts it again. verify-docs runs those blocks on
// its own environment (never in bash, where they would reach the environment of `npm run up`), so the outage the
// page documents is the one the gateway shows; without the stop the next block drifts. Where the environment has
// no Redis the kit runs, the page is not verifiable from the stop on. Needs redis-server (LABKIT_REQUIRE_REDIS=1 fails without).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { redisRequirement, redisServerAvailability } from '../../src/redis/index.js';
import { CONTENT_DIR, verifyDocs } from '../../src/docs/index.js';
import { clearRateLimitCounters } from '../../src/docs/fresh-window.js';
import { lineOf, mutateLine } from './workshop-page.js';

const E2E_TIMEOUT_MS = 120_000;
const PAGE = join(CONTENT_DIR, 'api-key-authentication', '17-redis-outage.md');
const gate = redisRequirement(redisServerAvailability());
const scratch = mkdtempSync(join(tmpdir(), 'verify-docs-redis-'));
let env: LabEnvironment;

describe.skipIf(gate.skip)(`page 17: Redis stopped mid-page${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  beforeAll(async () => {
    env = await startLocalEnvironment({ nodes: 2, redis: true });
  }, E2E_TIMEOUT_MS);

  afterAll(async () => {
    await env?.close();
  });

  it('passes: the stop and the start run on the run\'s own Redis, and the outage shows as documented', { timeout: E2E_TIMEOUT_MS }, async () => {
    const [verdict] = await verifyDocs([PAGE], { environment: env, shell: 'bash' });
    expect(verdict.status, verdict.steps.flatMap((step) => step.drifts.map((drift) => `${drift.line}: ${drift.message}`)).join('\n')).toBe('passed');
    const redisSteps = verdict.steps.filter((step) => step.step.kind === 'redis');
    expect(redisSteps.map((step) => step.status)).toEqual(['ran', 'ran']);
    expect(redisSteps[0].notes[0]).toMatch(/^Redis stopped, as an outage would: its counters are gone; run by verify-docs on this run's environment/);
    expect(redisSteps[1].notes[0]).toMatch(/^Redis started again on the same port, empty, and every gateway node reached it again after \d+ ms/);
    expect(env.redis!.running).toBe(true);
  });

  it('drifts at the outage block when the page asks only whether Redis runs instead of stopping it', { timeout: E2E_TIMEOUT_MS }, async () => {
    const text = readFileSync(PAGE, 'utf8');
    const stop = lineOf(text, 'npm run redis -- stop');
    const copy = join(scratch, '17-no-stop.md');
    writeFileSync(copy, mutateLine(text, stop, 'npm run redis -- status'));
    const [verdict] = await verifyDocs([copy], { environment: env, shell: 'builtin' });
    expect(verdict.status).toBe('failed');
    const messages = verdict.steps.flatMap((step) => step.drifts.map((drift) => drift.message));
    expect(messages).toContain('status line: documented "HTTP/1.1 500 Internal Server Error", got "HTTP/1.1 200 OK"');
    expect(messages.some((message) => /^the response has a header the page does not show: X-RateLimit-Limit-Minute: 5$/.test(message))).toBe(true);
  });

  it("is not verifiable from the stop on where the environment's Redis is not the kit's", { timeout: E2E_TIMEOUT_MS }, async () => {
    // The previous test's last request counted in Redis; a reset (an empty configuration) leaves the Redis keys of
    // the instances it removes, so they are cleared while those still run.
    await clearRateLimitCounters(env);
    // The same gateway and its running Redis, seen as an external gateway: the kit can reach it, not stop its Redis.
    const external = { runtime: 'external' as const, proxyUrl: env.proxyUrl, adminUrl: env.adminUrl, nodes: env.nodes, upstream: null, redis: null, close: async () => {} };
    const [verdict] = await verifyDocs([PAGE], { environment: external as unknown as LabEnvironment, shell: 'builtin' });
    expect(verdict.status, JSON.stringify(verdict.steps.map((step) => [step.drifts, step.notes]))).toBe('skipped');
    expect(verdict.skipReason).toBe(
      "not verifiable: it stops and starts the environment's Redis, and this environment has none the kit runs (an external gateway's Redis is not the kit's to stop or start)",
    );
    const kinds = verdict.steps.map((step) => `${step.status} ${step.step.kind}`);
    expect(kinds).toEqual(['ran write-file', 'ran deck', 'verified request', 'verified request', 'skipped redis', 'skipped request', 'skipped request', 'skipped redis', 'skipped request']);
  });
});

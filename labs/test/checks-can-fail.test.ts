// Proof that the checks can fail: each lab runs against the declaration of the lab before it (lab 1 against an
// empty configuration), where what the lab shows is not configured yet; at least one of its checks must fail.
// The extra labs (6–8) run against lab 3, whose key-auth has neither key_in_body, key_names nor hide_credentials;
// lab 9 runs against lab 4, which has the same consumers and keys but no second route;
// lab 10 against lab 4 (the same consumers, no request-transformer), lab 11 against lab 3 (no response-transformer),
// labs 12 and 13 against lab 4 (the same service and consumers, no proxy-cache, no tcp-log).
// The scale-out labs run on an environment of as many nodes as they ask for: lab 14 against lab 1 (no limit),
// lab 15 (local policy, 15 pass on 3 nodes) against lab 16 (redis policy: only 5 pass) and lab 16 against lab 15;
// lab 17 (Redis stopped mid-lab) against lab 16, which has no fault_tolerant: false route, so no 500 during the outage.
// Labs that need a Redis skip, with the reason, where redis-server is missing (LABKIT_REQUIRE_REDIS=1 fails instead).
// The pairing is documented in labs/README.md. retry_until is switched off: repeating a request that must fail
// only makes the proof slower.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadLabs, redisRequirement, redisServerAvailability, resetGateway, runLab, startLocalEnvironment, syncLab, type Lab, type LabEnvironment, type SyncReport,
} from '../../harness/src/index.js';

/** Labs that are not the page's next step name the lab they extend. */
const CONTRAST_OVERRIDES: Record<string, string> = {
  '06-key-in-query-and-body': '03-consumer1',
  '07-renamed-key': '03-consumer1',
  '08-hide-credentials': '03-consumer1',
  '09-basic-auth-and-acl': '04-consumer2',
  '10-request-transformer-consumer': '04-consumer2',
  '11-response-transformer': '03-consumer1',
  '12-proxy-cache': '04-consumer2',
  '13-tcp-log-consumer': '04-consumer2',
  '14-route-rate-limit': '01-plain-route',
  '15-three-nodes-local-policy': '16-three-nodes-redis-policy',
  '16-three-nodes-redis-policy': '15-three-nodes-local-policy',
  '17-redis-outage': '16-three-nodes-redis-policy',
};

const labs = loadLabs();

function contrastFor(lab: Lab): Lab | null {
  const override = CONTRAST_OVERRIDES[lab.id];
  if (override) return labs.find((candidate) => candidate.id === override)!;
  const index = labs.indexOf(lab);
  return index > 0 ? labs[index - 1] : null;
}

let env: LabEnvironment | undefined;
/** Environments of more nodes, opened for the first lab that asks (keyed by node count). */
const scaled = new Map<number, LabEnvironment>();

async function environmentFor(lab: Lab): Promise<LabEnvironment | undefined> {
  if (lab.nodes === 1) return env;
  let found = scaled.get(lab.nodes);
  if (!found) {
    found = await startLocalEnvironment({ nodes: lab.nodes });
    scaled.set(lab.nodes, found);
  }
  return found;
}

beforeAll(async () => {
  env = await startLocalEnvironment();
});

afterAll(async () => {
  await env?.close();
  for (const other of scaled.values()) await other.close();
});

describe('each lab fails against the configuration it improves on', () => {
  it('names an existing lab for every override', () => {
    for (const [lab, contrast] of Object.entries(CONTRAST_OVERRIDES)) {
      expect(labs.map((candidate) => candidate.id)).toContain(lab);
      expect(labs.map((candidate) => candidate.id)).toContain(contrast);
    }
  });

  for (const lab of labs) {
    const contrast = contrastFor(lab);
    const gate = lab.redis ? redisRequirement(redisServerAvailability()) : { skip: false, reason: '' };
    const title = `lab ${lab.number} (${lab.id}) against ${contrast ? `lab ${contrast.number}'s declaration` : 'an empty configuration'}`;
    it.skipIf(gate.skip)(`${title}${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, { timeout: 60_000 }, async () => {
      const env = await environmentFor(lab);
      if (!env) throw new Error('the local environment did not start; see the error of beforeAll');
      const report: SyncReport = contrast ? await syncLab(contrast, env) : await resetGateway({ adminUrl: env.adminUrl });
      const result = await runLab(lab, env, { counters: report.counters, retries: false });
      const failed = result.checks.filter((check) => !check.passed).map((check) => check.name);
      expect(failed.length, `every check of ${lab.id} passed without its own declaration`).toBeGreaterThan(0);
    });
  }
});

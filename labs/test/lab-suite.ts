// Declares every lab as vitest tests on one environment: each lab synced, then walked through, each check one
// test. A failure shows the request (as curl), the answer and the expected-vs-actual lines.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatCheckResult, loadLabs, redisRequirement, redisServerAvailability, syncAndRunLab,
  type Lab, type LabEnvironment, type LabResult, type RuntimeName,
} from '../../harness/src/index.js';
import { openLabEnvironment } from '../../harness/src/env/runtime-choice.js';

/**
 * Why a lab of more nodes or a Redis cannot run in this suite: an external gateway is one node as far
 * as the kit knows; on the local runtime a missing redis-server skips (LABKIT_REQUIRE_REDIS=1 fails
 * instead). The containers runtime runs both itself.
 */
function scaledSkip(lab: Lab, runtime: RuntimeName | 'containers'): string | null {
  if (lab.nodes === 1 && !lab.redis) return null;
  if (runtime === 'external') return `needs ${lab.nodes} nodes${lab.redis ? ' and a Redis' : ''}: scaled environments run on the local and containers runtimes`;
  if (runtime === 'local' && lab.redis) {
    const gate = redisRequirement(redisServerAvailability());
    if (gate.skip) return gate.reason;
  }
  return null;
}

export function defineLabSuite(title: string, open: () => Promise<LabEnvironment>, options: { skip?: boolean; runtime?: RuntimeName | 'containers' } = {}): void {
  const labs = loadLabs();
  describe.skipIf(options.skip ?? false)(title, () => {
    let env: LabEnvironment | undefined;
    // Labs of more nodes or a Redis get an environment of their own on the suite's runtime, shared by the labs asking the same.
    const scaled = new Map<string, Promise<LabEnvironment>>();

    beforeAll(async () => {
      env = await open();
    });

    afterAll(async () => {
      await env?.close();
      for (const other of scaled.values()) await (await other).close();
    });

    for (const lab of labs) {
      const skip = scaledSkip(lab, options.runtime ?? 'local');
      describe.skipIf(skip !== null)(`lab ${lab.number}: ${lab.title} (${lab.id})${skip ? ` (skipped: ${skip})` : ''}`, () => {
        let result: LabResult;

        beforeAll(async () => {
          if (!env) throw new Error('the environment did not start; see the error of the first beforeAll');
          let target = env;
          if (lab.nodes > 1 || lab.redis) {
            const key = `${lab.nodes}/${lab.redis}`;
            const runtime = options.runtime === 'containers' ? 'containers' : 'local';
            if (!scaled.has(key)) scaled.set(key, openLabEnvironment({ runtime, nodes: lab.nodes, redis: lab.redis }));
            target = await scaled.get(key)!;
          }
          ({ result } = await syncAndRunLab(lab, target));
        }, 120_000);

        lab.checks.forEach((check, index) => {
          it(check.name, () => {
            const checkResult = result.checks[index];
            expect(checkResult.passed, `\n${formatCheckResult(checkResult, { color: false })}`).toBe(true);
          });
        });
      });
    }
  });
}

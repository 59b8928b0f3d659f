// Declares every lab as vitest tests on one environment: each lab synced, then walked through, each check one
// test. A failure shows the request (as curl), the answer and the expected-vs-actual lines.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckResult, loadLabs, syncAndRunLab, type LabEnvironment, type LabResult } from '../../harness/src/index.js';

export function defineLabSuite(title: string, open: () => Promise<LabEnvironment>, options: { skip?: boolean } = {}): void {
  const labs = loadLabs();
  describe.skipIf(options.skip ?? false)(title, () => {
    let env: LabEnvironment | undefined;

    beforeAll(async () => {
      env = await open();
    });

    afterAll(async () => {
      await env?.close();
    });

    for (const lab of labs) {
      describe(`lab ${lab.number}: ${lab.title} (${lab.id})`, () => {
        let result: LabResult;

        beforeAll(async () => {
          if (!env) throw new Error('the environment did not start; see the error of the first beforeAll');
          ({ result } = await syncAndRunLab(lab, env));
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

// Every lab, run through the harness library on one local environment: each lab synced, then walked through,
// each check one test. A failure shows the request (as curl), the answer and the expected-vs-actual lines.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckResult, loadLabs, startLocalEnvironment, syncAndRunLab, type LabEnvironment, type LabResult } from '../../harness/src/index.js';

const labs = loadLabs();
let env: LabEnvironment | undefined;

beforeAll(async () => {
  env = await startLocalEnvironment();
});

afterAll(async () => {
  await env?.close();
});

for (const lab of labs) {
  describe(`lab ${lab.number}: ${lab.title} (${lab.id})`, () => {
    let result: LabResult;

    beforeAll(async () => {
      if (!env) throw new Error('the local environment did not start; see the error of the first beforeAll');
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

// Every lab, run through the harness library on a local environment per upstream: each lab synced, then walked
// through, each check one test. A failure shows the request (as curl), the answer and the expected-vs-actual lines.
// The embedded httpbin always runs; Debian's real httpbin runs where installed (mandatory in CI).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckResult, loadLabs, startLocalEnvironment, syncAndRunLab, type LabEnvironment, type LabResult } from '../../harness/src/index.js';
import { debianHttpbinAvailability } from '../../harness/src/upstream/index.js';
import { requireOrSkip } from '../../harness/src/upstream/requirements.js';

const labs = loadLabs();
const debian = requireOrSkip('debian-httpbin', debianHttpbinAvailability());

const upstreams = [
  { kind: 'embedded-httpbin', skip: false, title: 'embedded httpbin' },
  {
    kind: 'debian-httpbin',
    skip: debian.skip,
    title: debian.skip ? `Debian's httpbin (skipped: ${debian.reason})` : "Debian's httpbin",
  },
] as const;

for (const upstream of upstreams) {
  describe.skipIf(upstream.skip)(`labs on ${upstream.title}`, () => {
    let env: LabEnvironment | undefined;

    beforeAll(async () => {
      env = await startLocalEnvironment({ upstream: upstream.kind });
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
  });
}

// `npm run verify-docs -- --runtime external`: pages run against a gateway someone else started (here: a local
// environment this test starts), and a gateway that keeps its counters gets a fresh window before a counting page.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { resetGateway } from '../../src/sync/index.js';
import { CONTENT_DIR, REPO_ROOT, readPage, verifyPage } from '../../src/docs/index.js';

const E2E_TIMEOUT_MS = 180_000;
const pages = join(CONTENT_DIR, 'api-key-authentication');
let env: LabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment();
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

describe('verify-docs against an external gateway', () => {
  it('passes our content pages and says which runtime it used', { timeout: E2E_TIMEOUT_MS }, async () => {
    const run = await execa(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'verify-docs.ts'), join(pages, '02-key-auth-enabled.md'), join(pages, '05-rate-limits.md'),
        '--runtime', 'external', '--proxy-url', env.proxyUrl, '--admin-url', env.adminUrl],
      { cwd: REPO_ROOT, reject: false, env: { NO_COLOR: '1' } },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain('runtime: external (--runtime external)');
    expect(run.stdout).toContain('✓ content/api-key-authentication/02-key-auth-enabled.md');
    expect(run.stdout).toContain('✓ content/api-key-authentication/05-rate-limits.md');
    expect(run.stdout).toContain('verify-docs: 2 pages: 2 passed, 0 failed, 0 skipped');
  });

  it('starts a counting page in a fresh window when the counters were kept, and only such a page', { timeout: E2E_TIMEOUT_MS }, async () => {
    const firstRequestNotes = async (file: string): Promise<string[]> => {
      await resetGateway({ adminUrl: env.adminUrl, resetCounters: false });
      const result = await verifyPage(readPage(join(pages, file)), env, { countersKept: true });
      expect(result.steps.flatMap((step) => step.drifts), file).toEqual([]);
      return result.steps.find((step) => step.step.kind === 'request')!.notes;
    };
    // Our gateway clears on request; a real Kong answers 404 and the same step waits for the next window instead.
    expect(await firstRequestNotes('05-rate-limits.md')).toContainEqual(expect.stringMatching(/fresh rate-limit window \(counters cleared\)$/));
    expect((await firstRequestNotes('02-key-auth-enabled.md')).filter((note) => /window/.test(note))).toEqual([]);
  });
});

// `npm run verify-docs`: exit codes, the per-page report, JUnit XML and the expected-failures file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, REPO_ROOT } from '../../src/docs/index.js';
import { lineOf, mutateLine } from './workshop-page.js';

const CLI_TIMEOUT_MS = 120_000;
const scratch = mkdtempSync(join(tmpdir(), 'verify-docs-cli-'));
const goodPage = join(CONTENT_DIR, 'api-key-authentication', '02-key-auth-enabled.md');
const original = readFileSync(goodPage, 'utf8');
const driftLine = lineOf(original, 'WWW-Authenticate: Key');
const driftingPage = join(scratch, 'drifting.md');
writeFileSync(driftingPage, mutateLine(original, driftLine, 'WWW-Authenticate: Basic'));
const driftMessage = 'WWW-Authenticate: documented "Basic", got "Key"';

// `--runtime local` unless a test says otherwise: the default (auto) would use Docker where it answers.
function verifyDocs(args: string[]) {
  const pinned = args.includes('--runtime') ? args : ['--runtime', 'local', ...args];
  return execa(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'verify-docs.ts'), ...pinned], {
    cwd: REPO_ROOT,
    reject: false,
    env: { NO_COLOR: '1' },
  });
}

describe('npm run verify-docs', () => {
  it('reports per page and block, writes JUnit XML, and exits 1 on drift', { timeout: CLI_TIMEOUT_MS }, async () => {
    const junit = join(scratch, 'report.xml');
    const run = await verifyDocs([goodPage, driftingPage, '--junit', junit]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('✓ content/api-key-authentication/02-key-auth-enabled.md');
    expect(run.stdout).toContain(`✗ ${driftingPage}`);
    expect(run.stdout).toContain(`${driftingPage}:${driftLine}: ${driftMessage}`);
    expect(run.stdout).toContain('verify-docs: 1/2 pages pass, 1 drift');
    // Which runtime and why is said even without --verbose.
    expect(run.stderr).toContain('runtime: local (--runtime local)');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="verify-docs" tests="8" failures="1" skipped="0"/);
    expect(xml).toContain(`type="drift">${driftingPage}:${driftLine}: ${driftMessage}</failure>`);
  });

  it('passes a drift listed in the expected-failures file, with its reason', { timeout: CLI_TIMEOUT_MS }, async () => {
    const expected = join(scratch, 'expected.yaml');
    // The block is named by the line of the ``` that opens it.
    const block = original.split('\n').slice(0, driftLine).lastIndexOf('```') + 1;
    writeFileSync(expected, `expected_failures:\n  - page: ${driftingPage}\n    block: ${block}\n    message: '${driftMessage}'\n    reason: a test of the list\n`);
    const run = await verifyDocs([driftingPage, '--expected-failures', expected]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('[expected failure: a test of the list]');
    expect(run.stdout).toContain('verify-docs: 1/1 pages pass, 1 known (expected failures)');
  });

  it('exits 2 when the command itself is wrong, and 1 for a page that does not exist', { timeout: CLI_TIMEOUT_MS }, async () => {
    const bad = await verifyDocs(['--upstream', 'nowhere', goodPage]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--upstream nowhere is not one of auto, debian-httpbin, embedded-httpbin');
    for (const [args, message] of [
      [['--runtime', 'kubernetes'], 'verify-docs: --runtime: the runtime must be local, containers or external (or auto), not "kubernetes"'],
      [['--runtime', 'external'], 'verify-docs: --runtime external needs both --proxy-url URL and --admin-url URL'],
      [['--proxy-url', 'http://localhost:8000'], 'verify-docs: --proxy-url and --admin-url go with --runtime external'],
    ] as const) {
      const wrong = await verifyDocs([...args, goodPage]);
      expect(wrong.exitCode, args.join(' ')).toBe(2);
      expect(wrong.stderr).toContain(message);
    }
    const missing = await verifyDocs([join(scratch, 'missing.md')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('missing.md: no such file');
  });
});

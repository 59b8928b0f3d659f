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
function verifyDocs(args: string[], env: Record<string, string> = {}) {
  const pinned = args.includes('--runtime') ? args : ['--runtime', 'local', ...args];
  return execa(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'verify-docs.ts'), ...pinned], {
    cwd: REPO_ROOT,
    reject: false,
    env: { NO_COLOR: '1', ...env },
    extendEnv: Object.keys(env).length === 0,
  });
}

describe('npm run verify-docs', () => {
  it('reports per page and block, writes JUnit XML (creating its folders), and exits 1 on drift', { timeout: CLI_TIMEOUT_MS }, async () => {
    const junit = join(scratch, 'reports', 'docs', 'report.xml');
    const run = await verifyDocs([goodPage, driftingPage, '--junit', junit]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('✓ content/api-key-authentication/02-key-auth-enabled.md');
    expect(run.stdout).toContain(`✗ ${driftingPage}`);
    expect(run.stdout).toContain(`${driftingPage}:${driftLine}: ${driftMessage}`);
    expect(run.stdout).toContain('verify-docs: 2 pages: 1 passed, 1 failed, 0 skipped; 8 blocks: 3 verified, 4 ran, 0 skipped, 1 failed; 1 drift');
    // Which runtime and why is said even without --verbose.
    expect(run.stderr).toContain('runtime: local (--runtime local)');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="verify-docs" tests="8" failures="1" errors="0" skipped="0"/);
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
    expect(run.stdout).toContain('verify-docs: 1 page: 1 passed, 0 failed, 0 skipped; 4 blocks: 2 verified, 2 ran, 0 skipped, 0 failed; 1 known (expected failures)');
  });

  it('exits 2 when the command itself is wrong, a page that does not exist included', { timeout: CLI_TIMEOUT_MS }, async () => {
    const bad = await verifyDocs(['--upstream', 'nowhere', goodPage]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.replace(/\s+/g, ' ')).toContain('--upstream nowhere is not one of auto, debian-httpbin, embedded-httpbin');
    for (const [args, message] of [
      [['--runtime', 'kubernetes'], 'error[USAGE]: --runtime: the runtime must be local, containers or external (or auto), not "kubernetes"'],
      [['--runtime', 'external'], 'error[USAGE]: --runtime external needs both --proxy-url URL and --admin-url URL'],
      [['--proxy-url', 'http://localhost:8000'], 'error[USAGE]: --proxy-url and --admin-url go with --runtime external'],
    ] as const) {
      const wrong = await verifyDocs([...args, goodPage]);
      expect(wrong.exitCode, args.join(' ')).toBe(2);
      // Folded to 80 columns (stderr is not a terminal here).
      expect(wrong.stderr.replace(/\s+/g, ' ')).toContain(message);
    }
    const missing = await verifyDocs([goodPage, join(scratch, 'missing.md')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.replace(/\s+/g, ' ')).toContain(`error[PAGE_NOT_FOUND]: ${join(scratch, 'missing.md')}: no such file or folder`);
    // Nothing ran.
    expect(missing.stdout).toBe('');
  });

  it('--update rewrites a drifted block with what came back, keeping masked values and the header order; the page then passes', { timeout: CLI_TIMEOUT_MS }, async () => {
    const page = join(scratch, 'update.md');
    const fixture = readFileSync(join(REPO_ROOT, 'harness', 'test', 'docs', 'fixtures', 'drifting-status.md'), 'utf8');
    writeFileSync(page, fixture);
    const first = await verifyDocs([page, '--update']);
    expect(first.exitCode, first.stdout + first.stderr).toBe(1);
    expect(first.stdout).toContain(`updated ${page}: 2 blocks rewritten with what came back`);
    const updated = readFileSync(page, 'utf8');
    const block = updated.slice(updated.indexOf('HTTP/1.1'), updated.indexOf('```', updated.indexOf('HTTP/1.1')));
    expect(block).toBe(
      [
        'HTTP/1.1 404 Not Found',
        // Masked values stay as the page showed them; Connection goes where the gateway sends it; X-Extra is gone.
        'Date: Mon, 11 Aug 2025 14:44:59 GMT',
        'Content-Type: application/json; charset=utf-8',
        'Connection: keep-alive',
        'Content-Length: 103',
        'Server: kong/3.11.0.2-enterprise-edition',
        'X-Kong-Response-Latency: 7',
        'X-Kong-Request-Id: 1f8a6c1c9d0d1853d9db426588c1ce1c',
        '',
        '{',
        '  "message":"no Route matched with those values",',
        '  "request_id":"1f8a6c1c9d0d1853d9db426588c1ce1c"',
        '}',
        '',
      ].join('\n'),
    );
    expect(updated).toContain('```\nSummary:\n  Created: 0\n  Updated: 0\n  Deleted: 0\n```');
    // Everything outside the drifted blocks is as it was.
    expect(updated.split('\n').slice(0, 9)).toEqual(fixture.split('\n').slice(0, 9));
    const again = await verifyDocs([page]);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toContain('1 page: 1 passed');
  });

  it('--verbose shows what came back for a drifted block', { timeout: CLI_TIMEOUT_MS }, async () => {
    const run = await verifyDocs([driftingPage, '--verbose']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/what came back:\n\s+\| HTTP\/1\.1 401 Unauthorized\n(\s+\| .*\n)*\s+\| WWW-Authenticate: Key\n/);
  });

  it('skips a pipe into jq, with the reason, where jq is not installed', { timeout: CLI_TIMEOUT_MS }, async () => {
    const page = join(scratch, 'jq.md');
    writeFileSync(page, "---\ntitle: t\nweight: 1\n---\n\n{{<highlight>}}\ncurl -s $DATA_PLANE_LB/get | jq '.args'\n{{</highlight>}}\n\n```json\n{}\n```\n");
    // A PATH with nothing on it: no jq (the gateway and the embedded httpbin run on this node).
    const run = await verifyDocs([page, '--upstream', 'embedded-httpbin'], { PATH: join(scratch, 'empty-path'), HOME: scratch });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("○ L7 curl -s $DATA_PLANE_LB/get | jq '.args' → output L10 — skipped: pipes into jq, which is not installed here");
    expect(run.stdout).toContain('1 page: 0 passed, 0 failed, 1 skipped');
  });
});

// `npm run verify-docs`: exit codes, the per-page report, JUnit XML and the expected-failures file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, REPO_ROOT, type DocsJsonReport } from '../../src/docs/index.js';
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

  it('renders a page that cannot be verified as written as an error (code, a caret under the option at fault or the page line underlined, the fix), folded to 80 columns; --json and --junit keep its code and location', { timeout: CLI_TIMEOUT_MS }, async () => {
    const broken = join(scratch, 'broken.md');
    const fence = '```';
    writeFileSync(broken, [
      '---', 'title: broken', 'weight: 1', '---', '',
      'A curl option verify-docs does not know:', '',
      `${fence}bash`, 'curl -L -i $DATA_PLANE_LB/anything', fence, '',
      'A verbose request whose output is not what curl prints:', '',
      `${fence}bash`, 'curl -v $DATA_PLANE_LB/anything', fence, '',
      fence, '> GET /anything HTTP/1.1', '> Host: localhost:8000', '>', '< HTTP/1.1 two hundred', '< Content-Type: application/json', fence, '',
    ].join('\n'));
    const unclosed = join(scratch, 'unclosed.md');
    writeFileSync(unclosed, ['---', 'title: unclosed', '---', '', `${fence}bash`, "cat > kong.yaml << 'EOF'", '_format_version: "3.0"', fence, ''].join('\n'));
    const junit = join(scratch, 'broken', 'report.xml');
    const run = await verifyDocs([broken, unclosed, '--json', '--junit', junit], { ...process.env, NO_COLOR: '1', COLUMNS: '80' } as Record<string, string>);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);

    // The report for people (on stderr with --json): each error rendered under its block or page, at most 80 columns
    // (the summary, like a drift, is one line for logs).
    const report = run.stderr;
    for (const line of report.split('\n').filter((text) => !text.startsWith('verify-docs: '))) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(report).toContain(
      [
        '    ✗ L9 curl -L -i $DATA_PLANE_LB/anything',
        '        error[PAGE_INVALID]: verify-docs does not know the curl option -L; use',
        '          -i, -I/--head, -v, -H, -u, -d/--data, --json, -X, -G, -o /dev/null, -w',
        '          or -s',
        `         --> ${broken}:9:6`,
        '          |',
        '        9 | curl -L -i $DATA_PLANE_LB/anything',
        '          |      ^',
        '          |',
        '          = fix: fix the page; README.md (npm run verify-docs) says what a page',
        '              may contain',
      ].join('\n'),
    );
    expect(report).toContain(`          --> ${broken}:22\n           |\n        22 | < HTTP/1.1 two hundred\n           | ^^^^^^^^^^^^^^^^^^^^^^\n`);
    expect(report).toContain(`✗ ${unclosed} (0 steps, 0.0 s)\n    error[PAGE_INVALID]: the heredoc is never closed: add a line with only EOF\n      before the end of the block\n     --> ${unclosed}:6\n      |\n    6 | cat > kong.yaml << 'EOF'\n      | ^^^^^^^^^^^^^^^^^^^^^^^^\n`);
    // Not drifts: nothing was compared.
    expect(report).toMatch(/3 blocks: 0 verified, 1 ran, 0 skipped, 2 failed; 3 errors;/);

    // --json: stdout is the verdicts alone, each error with its code, exit status, location, problem and fix.
    const json = JSON.parse(run.stdout) as DocsJsonReport;
    expect(json).toMatchObject({ format: 'kong-labkit/verify-docs@1', passed: false, summary: { drifts: 0, errors: 3 } });
    const fix = 'fix the page; README.md (npm run verify-docs) says what a page may contain';
    expect(json.pages[0].steps.map((step) => [step.line, step.status, step.drifts, step.error])).toEqual([
      [9, 'failed', [], { code: 'PAGE_INVALID', exitCode: 2, problem: expect.stringMatching(/^verify-docs does not know the curl option -L;/), location: { file: broken, line: 9, column: 6 }, fix }],
      [15, 'ran', [], undefined],
      [22, 'failed', [], { code: 'PAGE_INVALID', exitCode: 2, problem: '"HTTP/1.1 two hundred" is not a status line (< HTTP/1.1 200 OK)', location: { file: broken, line: 22 }, fix }],
    ]);
    expect(json.pages[1]).toMatchObject({ status: 'failed', steps: [], error: { code: 'PAGE_INVALID', location: { file: unclosed, line: 6 }, problem: expect.stringMatching(/^the heredoc is never closed/) } });

    // JUnit: an <error> of the code at the page line, the rendered error (caret line included) as its text.
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="verify-docs" tests="4" failures="0" errors="3" skipped="0"/);
    expect(xml).toContain(`<testcase classname="${broken}" name="L22 output block L18" time="0.000" file="${broken}" line="22">`);
    expect(xml).toContain(`<error message="${broken}:22: &quot;HTTP/1.1 two hundred&quot; is not a status line (&lt; HTTP/1.1 200 OK)" type="PAGE_INVALID">`);
    expect(xml).toContain('22 | &lt; HTTP/1.1 two hundred\n   | ^^^^^^^^^^^^^^^^^^^^^^\n');
    expect(xml).toContain(`<testcase classname="${unclosed}" name="page" time="0.000" file="${unclosed}" line="6">`);
  });
});

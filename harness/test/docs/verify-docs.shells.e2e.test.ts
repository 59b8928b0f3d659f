// The same pages verified both ways: in bash (real curl, the kit's bin/deck, real jq) and on the built-in
// emulation, with the same verdict for every page and block. Then what only bash mode has: the fallback when
// bash or curl is missing, a broken page caught at its line, and a command that hangs killed at its limit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_DIR, REPO_ROOT, ShellUnavailableError, planChapters, verifyDocs, type PageVerdict } from '../../src/docs/index.js';
import { displayPath } from '../../src/spec/index.js';
import { WORKSHOP_PAGE, WORKSHOP_PAGE_PRESENT, WORKSHOP_SKIP_REASON, lineOf, lineStartingWith, mutateLine } from './workshop-page.js';
import { errorLine } from '../../src/errors/labkit-error.js';

const E2E_TIMEOUT_MS = 240_000;
const scratch = mkdtempSync(join(tmpdir(), 'verify-docs-shells-'));
const chapterExample = join(CONTENT_DIR, 'chapter-example');
const rateLimits = join(CONTENT_DIR, 'api-key-authentication', '05-rate-limits.md');
const standalonePage = join(CONTENT_DIR, 'api-key-authentication', '02-key-auth-enabled.md');

function openDrifts(verdict: PageVerdict): string[] {
  return verdict.steps.flatMap((step) => step.drifts.filter((drift) => !drift.expectedBecause).map((drift) => `${drift.file}:${drift.line}: ${drift.message}`));
}

/** What must be the same both ways: each page's status, each block's status and line. */
function outcome(verdicts: PageVerdict[]): Array<{ file: string; status: string; steps: string[] }> {
  return verdicts.map((verdict) => ({ file: verdict.file, status: verdict.status, steps: verdict.steps.map((step) => `L${step.step.at.line} ${step.status}`) }));
}

async function bothWays(pages: string[] | ReturnType<typeof planChapters>): Promise<{ bash: PageVerdict[]; builtin: PageVerdict[] }> {
  const bash = await verifyDocs(pages, { shell: 'bash' });
  const builtin = await verifyDocs(pages, { shell: 'builtin' });
  return { bash, builtin };
}

function expectSameVerdicts({ bash, builtin }: { bash: PageVerdict[]; builtin: PageVerdict[] }): void {
  for (const verdict of bash) expect(verdict.status, openDrifts(verdict).join('\n') || (verdict.error && errorLine(verdict.error))).not.toBe('failed');
  expect(bash.every((verdict) => verdict.shell === 'bash')).toBe(true);
  expect(builtin.every((verdict) => verdict.shell === 'builtin')).toBe(true);
  expect(outcome(bash)).toEqual(outcome(builtin));
}

describe('content/ pages, in bash and on the built-in emulation', () => {
  it('the chapter example (curl -v, jq, decK ping/diff/validate/reset, exports across pages, a loop, kubectl skips) passes the same both ways', { timeout: E2E_TIMEOUT_MS }, async () => {
    const runs = await bothWays(planChapters([chapterExample]));
    expectSameVerdicts(runs);
    const passed = runs.bash.filter((verdict) => verdict.status === 'passed');
    expect(passed.length).toBeGreaterThanOrEqual(4);
    // The French page's rate-limit story (a documented 429 after a 200) ran in bash too, and the export of page 2 reached page 3.
    const notes = runs.bash.flatMap((verdict) => verdict.steps.flatMap((step) => step.notes));
    expect(notes.some((note) => /^sent \d+ times? until 429 showed, as the documented answers show/.test(note))).toBe(true);
    expect(notes).toContain('sent 2 times, as the loop does: 429 429');
  });

  it('the rate-limit page repeats until the documented 429 in bash as on the emulation', { timeout: E2E_TIMEOUT_MS }, async () => {
    const runs = await bothWays([rateLimits]);
    expectSameVerdicts(runs);
    expect(runs.bash[0].status).toBe('passed');
    const notes = runs.bash[0].steps.flatMap((step) => step.notes);
    // 5 tries, more if a loaded machine let the minute roll over mid-page.
    expect(notes.some((note) => /^sent ([5-9]|\d{2,}) times until 429 showed/.test(note))).toBe(true);
  });
});

describe(`the workshop page, both ways${WORKSHOP_SKIP_REASON}`, () => {
  it.skipIf(!WORKSHOP_PAGE_PRESENT)('passes in bash as on the emulation, block for block', { timeout: E2E_TIMEOUT_MS }, async () => {
    const runs = await bothWays([WORKSHOP_PAGE]);
    expectSameVerdicts(runs);
    expect(runs.bash[0].status).toBe('passed');
    expect(runs.bash[0].steps).toHaveLength(17);
    expect(runs.bash[0].steps.flatMap((step) => step.notes).some((note) => /^sent ([6-9]|\d{2,}) times until 429 showed, as the page says$/.test(note))).toBe(true);
  });
});

describe('without bash or curl', () => {
  const noTools = join(scratch, 'no-tools');
  const bashOnly = join(scratch, 'bash-only');
  beforeAll(() => {
    mkdirSync(noTools);
    mkdirSync(bashOnly);
    symlinkSync(execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim(), join(bashOnly, 'bash'));
  });

  it('auto falls back to the built-in emulation, says why, and the page still passes', { timeout: E2E_TIMEOUT_MS }, async () => {
    const progress: string[] = [];
    const [verdict] = await verifyDocs([standalonePage], { path: noTools, onProgress: (message) => progress.push(message) });
    expect(verdict.shell).toBe('builtin');
    expect(verdict.status, openDrifts(verdict).join('\n')).toBe('passed');
    expect(progress).toContain('shell: commands run in the built-in curl emulation (bash and curl are not on PATH)');
  });

  it('names the one that is missing, and --shell bash refuses to start', async () => {
    const progress: string[] = [];
    // No page needs an environment here: the choice is made and said before any page runs.
    await verifyDocs([], { path: bashOnly, onProgress: (message) => progress.push(message) });
    expect(progress).toEqual(['shell: commands run in the built-in curl emulation (curl is not on PATH)']);
    await expect(verifyDocs([standalonePage], { shell: 'bash', path: noTools })).rejects.toThrow(ShellUnavailableError);
    await expect(verifyDocs([standalonePage], { shell: 'bash', path: noTools })).rejects.toThrow('--shell bash: bash and curl are not on PATH; install them, or use --shell builtin');
  });

  it('npm run verify-docs -- --shell bash exits 2 (usage) when PATH has neither', { timeout: 60_000 }, async () => {
    const run = await execa(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'verify-docs.ts'), '--runtime', 'local', '--shell', 'bash', standalonePage], {
      cwd: REPO_ROOT,
      reject: false,
      env: { NO_COLOR: '1', PATH: noTools, HOME: process.env.HOME ?? scratch },
      extendEnv: false,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(2);
    expect(run.stderr.replace(/\s+/g, ' ')).toContain('error[SHELL_UNAVAILABLE]: --shell bash: bash and curl are not on PATH');
  });
});

describe('bash mode catches drift at its line', () => {
  it('a changed < status line and > request line of curl -v, a changed decK Summary line and a changed jq value, each at its file:line', { timeout: E2E_TIMEOUT_MS }, async () => {
    const source = join(chapterExample, '01-service-and-route.md');
    const text = readFileSync(source, 'utf8');
    const cases = [
      { name: 'verbose-status', line: lineOf(text, '< HTTP/1.1 204 NO CONTENT'), replacement: '< HTTP/1.1 200 OK', message: 'status line: documented "HTTP/1.1 200 OK", got "HTTP/1.1 204 NO CONTENT"' },
      {
        name: 'verbose-request-line',
        line: lineOf(text, '> GET /chapter/status/204 HTTP/1.1'),
        replacement: '> GET /chapter/status/205 HTTP/1.1',
        message: 'request line: documented "> GET /chapter/status/205 HTTP/1.1", curl sent "> GET /chapter/status/204 HTTP/1.1"',
      },
      { name: 'deck-summary', line: lineOf(text, 'Created: 2'), replacement: '  Created: 3', message: 'decK: documented "Created: 3", got "Created: 2"' },
      { name: 'jq-value', line: lineOf(text, '"page": "2"'), replacement: '  "page": "3"', message: 'page: documented "3", got "2"' },
    ].map((entry) => {
      const path = join(scratch, `01-${entry.name}.md`);
      writeFileSync(path, mutateLine(text, entry.line, entry.replacement));
      return { ...entry, path };
    });
    const verdicts = await verifyDocs(cases.map((entry) => entry.path), { shell: 'bash', isolate: true });
    expect(verdicts.every((verdict) => verdict.shell === 'bash')).toBe(true);
    expect(verdicts.map(openDrifts)).toEqual(cases.map((entry) => [`${displayPath(entry.path)}:${entry.line}: ${entry.message}`]));
  });
});

describe('a curl -v that sent its request and printed no answer', () => {
  it('says what curl printed last (its notes, never the request headers) instead of comparing an empty status line', { timeout: E2E_TIMEOUT_MS }, async () => {
    const fakeTools = join(scratch, 'curl-without-answer');
    mkdirSync(fakeTools);
    symlinkSync(execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim(), join(fakeTools, 'bash'));
    const fakeCurl = join(fakeTools, 'curl');
    writeFileSync(
      fakeCurl,
      [
        '#!/bin/bash',
        'if [ "$1" = --version ]; then echo "curl 7.88.1 (fake)"; exit 0; fi',
        "printf '> GET /answerless HTTP/1.1\\r\\n> apikey: top-secret-key\\r\\n>\\r\\n* Request completely sent off\\n* Empty reply from server\\n' >&2",
        'exit 0',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const fence = '```';
    const page = ['---', 'title: "No answer"', 'weight: 1', '---', '{{<highlight>}}', 'curl -v -H "apikey: top-secret-key" $DATA_PLANE_LB/answerless', '{{</highlight>}}', '', fence, '> GET /answerless HTTP/1.1', '>', '< HTTP/1.1 200 OK', fence, ''].join('\n');
    const path = join(scratch, 'answerless.md');
    writeFileSync(path, page);
    const [verdict] = await verifyDocs([path], { shell: 'bash', path: fakeTools, runtime: 'local' });
    const drifts = openDrifts(verdict);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toContain(`${displayPath(path)}:12: curl sent "GET /answerless HTTP/1.1" and exited with 0, but printed no response to it.`);
    expect(drifts[0]).toContain('* Empty reply from server');
    expect(drifts[0]).not.toContain('top-secret-key');
  });
});

describe('a command that hangs', () => {
  // Accepts connections and never answers: the gateway waits on it (a long read_timeout), so curl does too.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is killed at its time limit, reported at its line, and the page goes on', { timeout: E2E_TIMEOUT_MS }, async () => {
    const port = (server.address() as { port: number }).port;
    const route = `hang-${process.pid}-${Date.now()}`;
    const fence = '```';
    const page = [
      '---', 'title: "Hangs"', 'weight: 1', '---', // 1-4
      '{{<highlight>}}', // 5
      "cat > hang.yaml << 'EOF'", // 6
      '_format_version: "3.0"',
      'services:',
      '  - name: hang-service',
      `    url: http://127.0.0.1:${port}`,
      '    read_timeout: 600000',
      '    routes:',
      '      - name: hang-route',
      `        paths: [/${route}]`,
      'EOF', // 15
      'deck gateway sync hang.yaml', // 16
      `curl -i $DATA_PLANE_LB/${route}`, // 17
      '{{</highlight>}}', // 18
      '', // 19
      fence, // 20
      'HTTP/1.1 200 OK', // 21
      fence, // 22
      '', // 23
      '{{<highlight>}}', // 24
      'deck gateway ping', // 25
      '{{</highlight>}}', // 26
      '', // 27
      fence, // 28
      'Successfully connected to Kong!', // 29
      'Kong version:  3.11.0', // 30
      fence,
      '',
    ].join('\n');
    const path = join(scratch, 'hangs.md');
    writeFileSync(path, page);
    // Local processes: a gateway in a container would not reach this test's server on 127.0.0.1.
    // 8 s: long enough that deck's sync before it finishes on a loaded machine, short for a test.
    const [verdict] = await verifyDocs([path], { shell: 'bash', commandTimeoutMs: 8_000, runtime: 'local' });
    expect(lineStartingWith(page, 'curl -i')).toBe(17);
    expect(openDrifts(verdict)).toEqual([
      `${displayPath(path)}:17: "curl -i $DATA_PLANE_LB/${route}" did not finish within 8 s and was stopped (a server that never answers, or a command waiting for input?)`,
    ]);
    // The step after it ran and matched: a hang fails its own step only.
    expect(verdict.steps.map((step) => step.status)).toEqual(['ran', 'ran', 'failed', 'verified']);
    // Nothing it started is left: no curl for the route is still running.
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes.split('\n').filter((line) => line.includes(route))).toEqual([]);
  });
});

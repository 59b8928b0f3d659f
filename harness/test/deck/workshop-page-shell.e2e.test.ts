// Acceptance: the attendee's path. `npm run up` (local runtime, temporary state, free ports),
// `eval "$(npm run --silent env)"` in bash, then each command block of the workshop page pasted into
// that same shell, verbatim: heredocs writing key-auth.yaml, `deck gateway sync --konnect-token $PAT
// key-auth.yaml` (the kit's deck, found on PATH), real curl. The page's statuses and decK's
// summaries come out. `npm run down` runs at the end whatever happened.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGHLIGHT_INFO, highlightShortcodesToFences } from '../../src/docs/hugo-shortcodes.js';
import { markdownBlocks } from '../../src/docs/markdown-blocks.js';
import { WORKSHOP_PAGE, WORKSHOP_PAGE_PRESENT, WORKSHOP_SKIP_REASON, workshopText } from '../docs/workshop-page.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function onPath(tool: string): boolean {
  return execaSync('sh', ['-c', `command -v ${tool}`], { reject: false }).exitCode === 0;
}

const TOOLS_PRESENT = onPath('bash') && onPath('curl');
const SKIP_REASON = WORKSHOP_SKIP_REASON || (TOOLS_PRESENT ? '' : ' [SKIPPED: needs bash and curl on PATH]');
/** The block the page says to "keep sending" until the limit answers: pasted again until it does (bounded). */
const KEEP_SENDING = /keep sending requests/i;
const MAX_RESENDS = 12;

interface Block {
  line: number;
  text: string;
  keepSending: boolean;
}

function commandBlocks(): Block[] {
  const blocks = markdownBlocks(highlightShortcodesToFences(workshopText(), WORKSHOP_PAGE));
  const out: Block[] = [];
  let lastProse = '';
  for (const block of blocks) {
    if (block.kind === 'prose') lastProse = block.text;
    if (block.kind !== 'code' || block.info !== HIGHLIGHT_INFO) continue;
    out.push({ line: block.line, text: block.text, keepSending: KEEP_SENDING.test(lastProse) });
  }
  return out;
}

const marker = (index: number) => `@@block ${index}@@`;

/** What is pasted: the env line, then each block as the page has it, a marker before each to split the output. */
function pasteScript(blocks: Block[]): string {
  const parts = ['cd "$LABKIT_REPO" && eval "$(npm run --silent env)" && cd "$LABKIT_WORK" || exit 97'];
  blocks.forEach((block, index) => {
    parts.push(`echo '${marker(index)}'; echo '${marker(index)}' >&2`);
    if (!block.keepSending) {
      parts.push(block.text.trimEnd());
      return;
    }
    // "If we keep sending requests …": the reader repeats the block until the 429 the page shows.
    parts.push(`for attempt in $(seq 1 ${MAX_RESENDS}); do`, `out=$(${block.text.trim()})`, 'printf "%s\\n" "$out"', 'case "$out" in "HTTP/1.1 429"*) break;; esac', 'done');
  });
  return `${parts.join('\n')}\n`;
}

function split(output: string, count: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = output.indexOf(`${marker(index)}\n`);
    const end = index + 1 < count ? output.indexOf(`${marker(index + 1)}\n`) : output.length;
    pieces.push(start === -1 ? '' : output.slice(start + marker(index).length + 1, end === -1 ? output.length : end));
  }
  return pieces;
}

const stateDir = mkdtempSync(join(tmpdir(), 'labkit-deck-shell-'));
const workDir = mkdtempSync(join(tmpdir(), 'labkit-deck-work-'));
const scriptEnv = { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1', DECK_KONG_ADDR: '', DATA_PLANE_LB: '' };

function npmRun(args: string[]) {
  return execa('npm', ['run', '--silent', ...args], { cwd: REPO_ROOT, env: scriptEnv, reject: false, stdin: 'ignore', timeout: 10 * 60_000 });
}

describe.skipIf(!WORKSHOP_PAGE_PRESENT || !TOOLS_PRESENT)(`the workshop page pasted into a shell set up by npm run env${SKIP_REASON}`, () => {
  let up: Awaited<ReturnType<typeof npmRun>>;

  beforeAll(async () => {
    up = await npmRun(['up', '--', '--runtime', 'local', '--proxy-port', '0', '--admin-port', '0']);
  }, 600_000);

  afterAll(async () => {
    // Always: whatever up left running goes, then the folders.
    const down = await npmRun(['down']);
    rmSync(workDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
    expect(down.exitCode, String(down.stderr)).toBe(0);
  }, 120_000);

  it("prints the page's statuses and decK's summaries", { timeout: 120_000 }, async () => {
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect(String(up.stdout)).toContain('eval "$(npm run --silent env)"');

    const blocks = commandBlocks();
    const shell = await execa('bash', [], {
      input: pasteScript(blocks),
      cwd: workDir,
      env: { ...scriptEnv, LABKIT_REPO: REPO_ROOT, LABKIT_WORK: workDir },
      reject: false,
      timeout: 90_000,
    });
    expect(shell.exitCode, `${shell.stdout}\n${shell.stderr}`).toBe(0);
    const out = split(String(shell.stdout), blocks.length);
    const err = split(String(shell.stderr), blocks.length);
    const at = (index: number) => `block ${index} (page line ${blocks[index].line}):\n${out[index]}\n${err[index]}`;

    const syncs = blocks.map((block, index) => (block.text.startsWith('deck gateway sync') ? index : -1)).filter((index) => index >= 0);
    expect(syncs).toHaveLength(4);
    const summary = (created: number) => `Summary:\n  Created: ${created}\n  Updated: 0\n  Deleted: 0\n`;
    expect(out[syncs[0]], at(syncs[0])).toBe(`creating service httpbin-service\ncreating route httpbin-route\ncreating plugin key-auth for service httpbin-service\n${summary(3)}`);
    expect(out[syncs[1]], at(syncs[1])).toBe(`creating consumer consumer1\ncreating key-auth 23456 for consumer consumer1\n${summary(2)}`);
    expect(out[syncs[2]], at(syncs[2])).toBe(`creating consumer consumer2\ncreating key-auth 87654 for consumer consumer2\n${summary(2)}`);
    expect(out[syncs[3]], at(syncs[3])).toBe(`creating plugin rate-limiting for consumer consumer1\ncreating plugin rate-limiting for consumer consumer2\n${summary(2)}`);
    for (const index of syncs) expect(err[index], at(index)).toMatch(/^deck \(lab kit\): no Konnect here; the gateway at http:\/\/127\.0\.0\.1:\d+ stands in for control plane 'kong-workshop' \(the token is not used\)\n$/);

    const curls = blocks.map((block, index) => (block.text.startsWith('curl') ? index : -1)).filter((index) => index >= 0);
    const status = (index: number) => out[index].split('\n')[0].trim();
    const header = (index: number, name: string) => new RegExp(`^${name}: (.*)\r?$`, 'mi').exec(out[index])?.[1];
    // The route without a key, then with each key (before the rate limits): 401, then 200s.
    expect(status(curls[0]), at(curls[0])).toBe('HTTP/1.1 401 Unauthorized');
    expect(out[curls[0]], at(curls[0])).toContain('"message":"No API key found in request"');
    for (const index of curls.slice(1, 4)) expect(status(index), at(index)).toBe('HTTP/1.1 200 OK');
    // With the rate limits: consumer1 at 5 a minute, consumer2 at 8, each counted apart.
    const [first1, first2, keepSending, last2] = curls.slice(4);
    expect([status(first1), header(first1, 'X-RateLimit-Limit-Minute'), header(first1, 'X-RateLimit-Remaining-Minute')], at(first1)).toEqual(['HTTP/1.1 200 OK', '5', '4']);
    expect([status(first2), header(first2, 'X-RateLimit-Limit-Minute'), header(first2, 'X-RateLimit-Remaining-Minute')], at(first2)).toEqual(['HTTP/1.1 200 OK', '8', '7']);
    expect(blocks[keepSending].keepSending).toBe(true);
    const answers = out[keepSending].split('\n').filter((line) => line.startsWith('HTTP/1.1')).map((line) => line.trim());
    expect(answers.at(-1), at(keepSending)).toBe('HTTP/1.1 429 Too Many Requests');
    expect(out[keepSending], at(keepSending)).toMatch(/^Retry-After: \d+\r?$/m);
    expect([status(last2), header(last2, 'X-RateLimit-Limit-Minute')], at(last2)).toEqual(['HTTP/1.1 200 OK', '8']);
  });
});

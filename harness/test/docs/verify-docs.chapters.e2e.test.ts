// End to end on one local environment: chapters carry the gateway's state from page to page, skip verdicts,
// and every construct of content/chapter-example, whose broken copy (fixtures/) fails at each break's file:line.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEnvironment } from '../../src/env/index.js';
import { openLabEnvironment } from '../../src/env/runtime-choice.js';
import {
  CONTENT_DIR, folderChapters, formatSummary, junitXml, planChapters, runPageDeck, verifyDocs, type ExpectedFailure, type PageVerdict,
} from '../../src/docs/index.js';
import { parseDeckArguments } from '../../src/docs/deck-command.js';
import { shellTokens } from '../../src/docs/shell-words.js';
import { displayPath } from '../../src/spec/index.js';
import { lineOf } from './workshop-page.js';

/** The summary's last part: which way the commands ran (bash where bash and curl exist, the default auto). */
function ranIn(verdict: PageVerdict): string {
  return verdict.shell === 'bash' ? 'in bash' : 'on the built-in emulation';
}

const E2E_TIMEOUT_MS = 180_000;
const FIXTURES = join(import.meta.dirname, 'fixtures');
const CHAPTER = join(CONTENT_DIR, 'chapter-example');
const BROKEN = join(FIXTURES, 'chapter-example-broken');
let env: LabEnvironment;

beforeAll(async () => {
  env = await openLabEnvironment({ runtime: 'local' });
}, E2E_TIMEOUT_MS);
afterAll(async () => {
  await env?.close();
});

const drifts = (verdict: PageVerdict): string[] =>
  verdict.steps.flatMap((step) => step.drifts.filter((drift) => !drift.expectedBecause).map((drift) => `${drift.file}:${drift.line}: ${drift.message}`));
const byName = (verdicts: PageVerdict[], name: string): PageVerdict => verdicts.find((verdict) => verdict.file.endsWith(name))!;

describe('chapter order', () => {
  it("runs a folder in Hugo's order (_index first, then weight, then name), each sub-folder a chapter of its own", () => {
    const root = mkdtempSync(join(tmpdir(), 'chapters-'));
    const write = (path: string, weight?: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), weight === undefined ? '# no front matter\n' : `---\ntitle: t\nweight: ${weight}\n---\n`);
    };
    write('b-first.md', 1);
    write('a-second.md', 2);
    write('c-unweighted.md');
    write('_index.md', 99);
    write('later/_index.md', 20);
    write('later/x.md', 1);
    write('sooner/_index.md', 10);
    write('sooner/y.md', 1);
    const names = (chapters: { pages: string[] }[]) => chapters.map((chapter) => chapter.pages.map((page) => page.slice(root.length + 1)));
    expect(names(folderChapters(root))).toEqual([
      ['_index.md', 'b-first.md', 'a-second.md', 'c-unweighted.md'],
      ['sooner/_index.md', 'sooner/y.md'],
      ['later/_index.md', 'later/x.md'],
    ]);
    // Pages named one after another are one chapter; a folder starts a new one.
    expect(names(planChapters([join(root, 'a-second.md'), join(root, 'b-first.md'), join(root, 'sooner'), join(root, 'c-unweighted.md')]))).toEqual([
      ['a-second.md', 'b-first.md'],
      ['sooner/_index.md', 'sooner/y.md'],
      ['c-unweighted.md'],
    ]);
    expect(() => planChapters([join(root, 'missing.md')])).toThrow(/missing\.md: no such file or folder/);
  });
});

describe('content/chapter-example', () => {
  it('passes as a chapter: each page builds on the one before, and every construct is run, compared or skipped with a reason', { timeout: E2E_TIMEOUT_MS }, async () => {
    const verdicts = await verifyDocs(folderChapters(CHAPTER), { environment: env });
    expect(verdicts.map((verdict) => [verdict.file.split('/').pop(), verdict.status])).toEqual([
      ['_index.md', 'skipped'],
      ['01-service-and-route.md', 'passed'],
      ['02-key-auth.md', 'passed'],
      ['03-limite-de-debit.md', 'passed'],
      ['04-kubernetes-and-reset.md', 'passed'],
    ]);
    for (const verdict of verdicts) expect(drifts(verdict), verdict.file).toEqual([]);
    const status = (name: string) => byName(verdicts, name).steps.map((step) => `${step.status} ${step.step.kind}`);
    expect(status('01-service-and-route.md')).toEqual(['verified deck', 'ran write-file', 'ran deck', 'verified deck', 'verified deck', 'verified request', 'verified request']);
    // The French page: a 429 after the same command answered 200 is sent until it shows, without an English cue.
    const french = byName(verdicts, '03-limite-de-debit.md').steps.flatMap((step) => step.notes);
    expect(french).toContain('sent 3 times until 429 showed, as the documented answers show (200 before, then this)');
    expect(french).toContain('sent 2 times, as the loop does: 429 429');
    const last = byName(verdicts, '04-kubernetes-and-reset.md');
    // The DataPlane's replicas: 3 scales the environment to 3 nodes; the rest of Kubernetes is skipped.
    expect(last.steps[0].notes[0]).toBe('scaled from 1 to 3 gateway nodes (replicas: 3): new nodes took the running declaration and joined the balancer');
    expect(last.steps.map((step) => step.skipped ?? step.status)).toEqual([
      'ran',
      'needs Kubernetes (kubectl)',
      'uses HTTPie (http), which verify-docs does not emulate; the same request written with curl is verified',
      "requests us.api.konghq.com, a host other than the environment's",
      'ran',
      'verified',
    ]);
    expect(formatSummary(verdicts)).toBe(`verify-docs: 5 pages: 4 passed, 0 failed, 1 skipped; 23 blocks: 13 verified, 7 ran, 3 skipped, 0 failed; commands ran ${ranIn(verdicts[0])}`);
  });

  it('--isolate empties the gateway before every page, so a page that builds on the one before drifts', { timeout: E2E_TIMEOUT_MS }, async () => {
    const pages = folderChapters(CHAPTER)[0].pages.slice(1, 3);
    const verdicts = await verifyDocs([{ pages }], { environment: env, isolate: true });
    expect(verdicts.map((verdict) => verdict.status)).toEqual(['passed', 'failed']);
    const firstLine = lineOf(readFileSync(pages[1], 'utf8'), 'creating plugin key-auth for route chapter-route');
    expect(drifts(verdicts[1])).toContain(`${displayPath(pages[1])}:${firstLine}: decK printed a line the page does not show: "creating service chapter-service"`);
  });

  it('its broken copy fails at each break, and only there', { timeout: E2E_TIMEOUT_MS }, async () => {
    const verdicts = await verifyDocs(folderChapters(BROKEN), { environment: env });
    const at = (name: string, text: string, after = 0) => `${displayPath(join(BROKEN, name))}:${lineOf(readFileSync(join(BROKEN, name), 'utf8'), text, after)}`;
    const page01 = '01-service-and-route.md';
    const page02 = '02-key-auth.md';
    const page03 = '03-limite-de-debit.md';
    const page04 = '04-kubernetes-and-reset.md';
    expect(drifts(byName(verdicts, page01))).toEqual([
      `${at(page01, '> Accept: application/json')}: > Accept: documented "application/json", curl sent "*/*"`,
      `${at(page01, '"page": "3"')}: page: documented "3", got "2"`,
    ]);
    expect(drifts(byName(verdicts, page02))).toEqual([
      `${at(page02, 'Created: 4')}: decK: documented "Created: 4", got "Created: 3"`,
      `${at(page02, 'HTTP/1.1 200 OK')}: the response has a header the page does not show: Via: 1.1 kong/3.11.0.0-enterprise-edition`,
      `${at(page02, '"type": 0,')}: type: documented 0, but the body has no type`,
    ]);
    expect(drifts(byName(verdicts, page03))).toEqual([
      `${at(page03, 'X-RateLimit-Remaning-Minute: 2')}: X-RateLimit-Remaning-Minute: documented "2", but the response has no X-RateLimit-Remaning-Minute header; did you mean X-RateLimit-Remaining-Minute?`,
      `${at(page03, '200', lineOf(readFileSync(join(BROKEN, page03), 'utf8'), 'for i in $(seq 1 2); do curl -s -o /dev/null -w "%{http_code}\\n" $DATA_PLANE_LB/chapter/get -H "apikey: $APIKEY"; done'))}: curl: documented "200", got "429"`,
    ]);
    expect(drifts(byName(verdicts, page04))).toEqual([`${at(page04, '"message":"no route matched",')}: message: documented "no route matched", got "no Route matched with those values"`]);
  });
});

describe('skip verdicts', () => {
  it('a page whose every step is skipped is skipped, not passed; a plugin the gateway does not run makes the page not verifiable', { timeout: E2E_TIMEOUT_MS }, async () => {
    const [kubernetes, plugin] = await verifyDocs([join(FIXTURES, 'kubernetes-only.md'), join(FIXTURES, 'plugin-unavailable.md')], { environment: env, isolate: true });
    expect(kubernetes).toMatchObject({ status: 'skipped', passed: false, skipReason: 'every step was skipped' });
    expect(kubernetes.steps.map((step) => step.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(plugin).toMatchObject({ status: 'skipped', skipReason: 'not verifiable: plugin correlation-id is not available in this gateway' });
    // The blocks after the refused declaration are skipped, not compared against an empty gateway.
    expect(plugin.steps.map((step) => step.skipped ?? step.status)).toEqual([
      'ran',
      'not verifiable: plugin correlation-id is not available in this gateway',
      'the page is not verifiable: plugin correlation-id is not available in this gateway',
    ]);
    const xml = junitXml([kubernetes, plugin]);
    expect(xml).toContain('<skipped message="needs Kubernetes (helm)"/>');
    expect(xml).toContain('<skipped message="the page is not verifiable: plugin correlation-id is not available in this gateway"/>');
    expect(xml).toMatch(/<testsuites name="verify-docs" tests="7" failures="0" errors="0" skipped="6"/);
    expect(formatSummary([kubernetes, plugin])).toBe(`verify-docs: 2 pages: 0 passed, 0 failed, 2 skipped; 7 blocks: 0 verified, 1 ran, 6 skipped, 0 failed; commands ran ${ranIn(kubernetes)}`);
  });

  it('an expected-failures entry waives any block: a curl option not emulated, a decK output', { timeout: E2E_TIMEOUT_MS }, async () => {
    const page = join(FIXTURES, 'waived.md');
    const text = readFileSync(page, 'utf8');
    const entry = (block: number, message: string): ExpectedFailure => ({ page, block, message, reason: 'a test of waivers', source: 'test' });
    const expectedFailures = [
      entry(lineOf(text, 'curl -L -i $DATA_PLANE_LB/nowhere') - 1, 'verify-docs does not know the curl option -L; use -i, -I/--head, -v, -H, -u, -d/--data, --json, -X, -G, -o /dev/null, -w or -s'),
      entry(lineOf(text, 'Summary:') - 1, 'decK: documented "Created: 1", got "Created: 0"'),
    ];
    const [verdict] = await verifyDocs([page], { environment: env, expectedFailures });
    expect(verdict.status, JSON.stringify(verdict.steps.map((step) => [step.error, step.drifts]))).toBe('passed');
    // The curl option is the page's error (PAGE_INVALID, not a drift), waived by its problem as a drift is by its message.
    expect(verdict.steps.flatMap((step) => (step.error ? [[step.error.code, step.error.expectedBecause]] : []))).toEqual([['PAGE_INVALID', 'a test of waivers']]);
    expect(verdict.steps.flatMap((step) => step.drifts.map((drift) => drift.expectedBecause))).toEqual(['a test of waivers']);
  });
});

describe('the rate-limit story from the documented answers', () => {
  it('sends a request until the documented Remaining: 0 shows, on a page whose prose says nothing in English', { timeout: E2E_TIMEOUT_MS }, async () => {
    const [verdict] = await verifyDocs([join(FIXTURES, 'remaining-zero.md')], { environment: env });
    expect(verdict.status, drifts(verdict).join('\n')).toBe('passed');
    expect(verdict.steps[3].notes).toContain('sent 2 times until X-RateLimit-Remaining-Minute: 0 showed, as the documented answers show (200 before, then this)');
  });
});

describe("a page's decK commands, on the kit's deck", () => {
  const deck = (line: string) => parseDeckArguments(shellTokens(line).slice(1));
  const dir = mkdtempSync(join(tmpdir(), 'page-deck-'));
  const run = (line: string) => runPageDeck(deck(line), { adminUrl: env.adminUrl, resolveFile: (name: string) => (name.startsWith('..') ? undefined : join(dir, name)) });
  const tagged = (tag: string, service: string) => `_format_version: "3.0"\n_info:\n  select_tags: [${tag}]\nservices:\n- name: ${service}\n  host: httpbin.kong.svc.cluster.local\n  port: 8000\n`;
  const services = async (): Promise<string[]> => {
    const response = await fetch(`${env.adminUrl}/services`);
    return ((await response.json()) as { data: Array<{ name: string }> }).data.map((service) => service.name).sort();
  };

  it("prints decK's ping, with Kong's version or Konnect's line, whatever address the page names", { timeout: E2E_TIMEOUT_MS }, async () => {
    const kong = await run('deck gateway ping --kong-addr http://localhost:8001');
    expect(kong.stdout).toMatch(/^Successfully connected to Kong!\nKong version: {2}\d+\.\d+\.\d+\S*\n$/);
    const konnect = await run('deck gateway ping --konnect-control-plane-name kong-workshop --konnect-token $PAT');
    expect(konnect.stdout).toBe('Successfully Konnected to the Kong organization!\n');
    expect(konnect.notes.join('\n')).toMatch(/stands in for control plane 'kong-workshop'/);
  });

  it('diff prints the plan and changes nothing; reset -f with a select tag deletes only what is tagged', { timeout: E2E_TIMEOUT_MS }, async () => {
    await run('deck gateway reset -f');
    writeFileSync(join(dir, 'a.yaml'), tagged('a', 'service-a'));
    writeFileSync(join(dir, 'b.yaml'), tagged('b', 'service-b'));
    expect((await run('deck gateway sync a.yaml')).stdout).toContain('creating service service-a');
    const diff = await run('deck gateway diff b.yaml');
    expect(diff.stdout).toBe('creating service service-b\nSummary:\n  Created: 1\n  Updated: 0\n  Deleted: 0\n');
    expect(await services()).toEqual(['service-a']);
    await run('deck gateway sync --konnect-token $PAT -s b.yaml');
    expect(await services()).toEqual(['service-a', 'service-b']);
    await run('deck gateway reset --select-tag a -f');
    expect(await services()).toEqual(['service-b']);
    await run('deck gateway reset --konnect-token $PAT -f');
    expect(await services()).toEqual([]);
  });

  it("file validate checks the file offline and says what is wrong, as decK's Error: line", { timeout: E2E_TIMEOUT_MS }, async () => {
    writeFileSync(join(dir, 'bad.yaml'), '_format_version: "3.0"\nservices:\n- name: s\n  host: h\n  routes: [{name: r, paths: [/x]}]\nplugins:\n- name: key-auth\n  route: missing-route\n');
    const bad = await run('deck file validate bad.yaml');
    expect(bad.error).toMatch(/^Error: .*missing-route/);
    writeFileSync(join(dir, 'good.yaml'), tagged('a', 'service-a'));
    const good = await run('deck file validate good.yaml');
    expect([good.stdout, good.error]).toEqual(['', undefined]);
    expect((await run('deck file validate ../outside.yaml')).error).toBe('Error: ../outside.yaml is outside the working directory; name a file the page wrote');
  });
});

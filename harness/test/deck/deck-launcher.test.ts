// bin/deck runs from the kit's command bundle in <checkout>/.labkit/bundle/ (scripts/launch.mjs):
// built on first use, rebuilt when a source is newer, and when it cannot be built the TypeScript runs
// through tsx instead. Tried on a scratch checkout (the launchers copied, the sources linked) so the
// real bundle is untouched.

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VERSION_LINE = /^decK v\d+\.\d+\.\d+ \(the lab kit's deck, for DB-less gateways\)$/;
const checkout = mkdtempSync(join(tmpdir(), 'deck-launcher-'));

afterAll(() => rmSync(checkout, { recursive: true, force: true }));

function scratchCheckout(): string {
  mkdirSync(join(checkout, 'bin'));
  mkdirSync(join(checkout, 'scripts'));
  copyFileSync(join(REPO_ROOT, 'bin', 'deck'), join(checkout, 'bin', 'deck'));
  copyFileSync(join(REPO_ROOT, 'scripts', 'launch.mjs'), join(checkout, 'scripts', 'launch.mjs'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(checkout, 'package.json'));
  for (const linked of ['harness', 'gateway', 'labs', 'node_modules', 'package-lock.json']) symlinkSync(join(REPO_ROOT, linked), join(checkout, linked));
  for (const script of readdirSync(join(REPO_ROOT, 'scripts')).filter((name) => name.endsWith('.ts'))) {
    symlinkSync(join(REPO_ROOT, 'scripts', script), join(checkout, 'scripts', script));
  }
  return join(checkout, 'bin', 'deck');
}

const run = (bin: string) => execa(bin, ['version'], { cwd: tmpdir(), reject: false, env: { NO_COLOR: '1' } });

describe('bin/deck', () => {
  it('builds its bundle on first use, rebuilds a stale one, and falls back to tsx when it cannot build', { timeout: 120_000 }, async () => {
    const bin = scratchCheckout();
    const manifestFile = join(checkout, '.labkit', 'bundle', 'manifest.json');
    const manifest = () => JSON.parse(readFileSync(manifestFile, 'utf8')) as { startedAt: number; entries: Record<string, string>; inputs: string[] };

    const first = await run(bin);
    expect(first.stdout, first.stderr).toMatch(VERSION_LINE);
    const bundle = join(checkout, '.labkit', 'bundle', manifest().entries.deck);
    const chunks = readdirSync(join(checkout, '.labkit', 'bundle', 'chunks')).map((name) => readFileSync(join(checkout, '.labkit', 'bundle', 'chunks', name), 'utf8'));
    expect([readFileSync(bundle, 'utf8'), ...chunks].some((text) => text.includes("the lab kit's deck, for DB-less gateways"))).toBe(true);
    expect(manifest().inputs.some((input) => input.endsWith('harness/src/deck/cli/run-deck.ts'))).toBe(true);

    // Older than its sources: a bundle that would fail is replaced before it runs.
    writeFileSync(bundle, 'throw new Error("stale bundle ran");\n');
    writeFileSync(manifestFile, JSON.stringify({ ...manifest(), startedAt: 0 }));
    const rebuilt = await run(bin);
    expect(rebuilt.stdout, rebuilt.stderr).toMatch(VERSION_LINE);
    expect(readFileSync(bundle, 'utf8')).not.toContain('stale bundle ran');

    // No place to build (.labkit is a file): the sources run through tsx.
    rmSync(join(checkout, '.labkit'), { recursive: true });
    writeFileSync(join(checkout, '.labkit'), '');
    const fallback = await run(bin);
    expect(fallback.stdout, fallback.stderr).toMatch(VERSION_LINE);
    expect(fallback.exitCode).toBe(0);
  });
});

// bin/deck runs an esbuild bundle it keeps in <checkout>/.labkit/deck/: built on first use, rebuilt
// when a source is newer, and when it cannot be built the TypeScript runs through tsx instead.
// Tried on a scratch checkout (bin/deck copied, the sources linked) so the real bundle is untouched.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
  copyFileSync(join(REPO_ROOT, 'bin', 'deck'), join(checkout, 'bin', 'deck'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(checkout, 'package.json'));
  for (const linked of ['harness', 'node_modules', 'package-lock.json']) symlinkSync(join(REPO_ROOT, linked), join(checkout, linked));
  return join(checkout, 'bin', 'deck');
}

const run = (bin: string) => execa(bin, ['version'], { cwd: tmpdir(), reject: false, env: { NO_COLOR: '1' } });

describe('bin/deck', () => {
  it('builds its bundle on first use, rebuilds a stale one, and falls back to tsx when it cannot build', { timeout: 60_000 }, async () => {
    const bin = scratchCheckout();
    const bundle = join(checkout, '.labkit', 'deck', 'deck.mjs');

    const first = await run(bin);
    expect(first.stdout, first.stderr).toMatch(VERSION_LINE);
    expect(readFileSync(bundle, 'utf8')).toContain('the lab kit\'s deck, for DB-less gateways');
    const inputs = JSON.parse(readFileSync(join(checkout, '.labkit', 'deck', 'inputs.json'), 'utf8')) as string[];
    expect(inputs.some((input) => input.endsWith('harness/src/deck/cli/run-deck.ts'))).toBe(true);

    // Older than its sources: a bundle that would fail is replaced before it runs.
    writeFileSync(bundle, 'throw new Error("stale bundle ran");\n');
    utimesSync(bundle, new Date(0), new Date(0));
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

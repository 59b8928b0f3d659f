// How commands start (scripts/launch.mjs, bin/labkit): from the bundle when it is current, rebuilt
// when a source changed, through tsx when esbuild is missing or LABKIT_DEV=1; the install's build
// never fails. Each test builds into a bundle folder of its own (LABKIT_BUNDLE_DIR).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, without declarations (it runs before anything is built)
import { entryPoints, isCurrent, pinImportMetaUrl } from '../../../scripts/launch.mjs';
import { startLocalEnvironment } from '../../src/env/index.js';
import { REPO_ROOT } from './command-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'labkit-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A module hook that makes the launcher's `import('esbuild')` fail, as where the bundle cannot be
 * built (tsx, which brings its own use of esbuild, still loads).
 */
const NO_ESBUILD = join(scratch, 'no-esbuild.mjs');
writeFileSync(
  NO_ESBUILD,
  `import { register } from 'node:module';\n` +
    `register('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, next) { if (s === 'esbuild' && (c.parentURL ?? '').endsWith('/scripts/launch.mjs')) throw new Error('esbuild is not installed'); return next(s, c); }"));\n`,
);

function labkit(args: string[], bundleDir: string, extra: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  return execa(process.execPath, [...(extra.nodeArgs ?? []), join(REPO_ROOT, 'bin', 'labkit'), ...args], {
    cwd: REPO_ROOT,
    reject: false,
    env: { NO_COLOR: '1', LABKIT_BUNDLE_DIR: bundleDir, LABKIT_STATE_DIR: join(scratch, 'state'), ...extra.env },
  });
}

function build(bundleDir: string, nodeArgs: string[] = []) {
  return execa(process.execPath, [...nodeArgs, join(REPO_ROOT, 'scripts', 'launch.mjs'), '--build'], {
    cwd: REPO_ROOT,
    reject: false,
    env: { LABKIT_BUNDLE_DIR: bundleDir },
  });
}

interface Manifest {
  root: string;
  startedAt: number;
  entries: Record<string, string>;
  inputs: string[];
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

describe('the command bundle', () => {
  it('is built for every scripts/*.ts and the deck, and runs a command when current', { timeout: 120_000 }, async () => {
    const dir = join(scratch, 'built');
    const built = await build(dir);
    expect(built.exitCode, built.stderr).toBe(0);
    const manifest = manifestOf(dir);
    expect(Object.keys(manifest.entries).sort()).toEqual(Object.keys(entryPoints()).sort());
    expect(manifest.inputs).toContain('scripts/status.ts');
    expect(manifest.inputs.some((input) => input.includes('node_modules'))).toBe(false);

    // The bundle, not the TypeScript, is what runs while it is current…
    const statusBundle = join(dir, manifest.entries.status);
    const real = readFileSync(statusBundle);
    writeFileSync(statusBundle, 'process.stdout.write("ran from the bundle\\n");\n');
    expect((await labkit(['status'], dir)).stdout).toBe('ran from the bundle');
    // …LABKIT_DEV=1 runs the TypeScript through tsx instead…
    const dev = await labkit(['status', '--help'], dir, { env: { LABKIT_DEV: '1' } });
    expect(dev.exitCode, dev.stderr).toBe(0);
    expect(dev.stdout).toContain('Usage: npm run status');
    // …and a build older than a source is rebuilt before the command runs.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, startedAt: 0 }));
    const rebuilt = await labkit(['status', '--help'], dir);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('Usage: npm run status');
    expect(manifestOf(dir).startedAt).toBeGreaterThan(0);
    expect(readFileSync(statusBundle)).toEqual(real);
  });

  it('without esbuild: the install build says so and exits 0; commands run through tsx', { timeout: 120_000 }, async () => {
    const dir = join(scratch, 'no-esbuild');
    const built = await build(dir, ['--import', NO_ESBUILD]);
    expect(built.exitCode).toBe(0);
    expect(built.stderr).toMatch(/commands not bundled \(.*esbuild is not installed.*\); they will run through tsx/);
    const run = await labkit(['down', '--help'], dir, { nodeArgs: ['--import', NO_ESBUILD] });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: npm run down');
  });

  it('loads zx, which the bundle leaves in node_modules, from a bundle in the repository (lab --keep asks zx\'s which for curl)', { timeout: 120_000 }, async () => {
    // Inside the repository, as .labkit/bundle is: packages left out of the bundle resolve from its node_modules.
    const dir = join(REPO_ROOT, '.labkit', `test-bundle-${process.pid}`);
    const gateway = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
    try {
      expect((await build(dir)).exitCode).toBe(0);
      const run = await labkit(['lab', '1', '--keep', '--runtime', 'external', '--proxy-url', gateway.proxyUrl, '--admin-url', gateway.adminUrl], dir);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Try the lab by hand:');
      // What zx's which found: curl is on this machine's PATH, or the line that says how to get it.
      expect(run.stdout).toMatch(process.env.PATH?.split(':').some((entry) => existsSync(join(entry, 'curl'))) ? /^(?![\s\S]*curl is not installed)/ : /curl is not installed here/);
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown command exits 2 and names it', async () => {
    const run = await labkit(['no-such-command'], join(scratch, 'built'));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('labkit: no command no-such-command.');
    expect(run.stderr).toMatch(/commands: .*\bstatus\b/);
  });
});

describe('isCurrent', () => {
  const root = join(scratch, 'root');
  it('holds while every input is older than the build; a newer, missing or moved one makes it stale', () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'a.ts'), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'a.ts'), past, past);
    const manifest = { root, startedAt: Date.now() - 30_000, entries: {}, inputs: ['a.ts'] };
    expect(isCurrent(manifest, root)).toBe(true);
    expect(isCurrent({ ...manifest, root: '/elsewhere' }, root)).toBe(false);
    expect(isCurrent({ ...manifest, inputs: ['a.ts', 'gone.ts'] }, root)).toBe(false);
    utimesSync(join(root, 'a.ts'), new Date(), new Date());
    expect(isCurrent(manifest, root)).toBe(false);
    expect(isCurrent(null, root)).toBe(false);
  });
});

describe('pinImportMetaUrl', () => {
  it("names the source file in code, and leaves strings, comments and regular expressions' quotes alone", () => {
    const source = [
      "const here = new URL('../labs/', import.meta.url);",
      "// import.meta.url in a comment",
      "const shim = \"createRequire(import.meta.url);\";",
      "const quote = value.replace(/'/g, 'x');",
      'const again = import.meta.url;',
      'const not = import.meta.urlish;',
    ].join('\n');
    const pinned = pinImportMetaUrl(source, 'file:///repo/src/a.ts').split('\n');
    expect(pinned[0]).toBe("const here = new URL('../labs/', \"file:///repo/src/a.ts\");");
    expect(pinned[1]).toBe('// import.meta.url in a comment');
    expect(pinned[2]).toBe('const shim = "createRequire(import.meta.url);";');
    expect(pinned[3]).toBe("const quote = value.replace(/'/g, 'x');");
    expect(pinned[4]).toBe('const again = "file:///repo/src/a.ts";');
    expect(pinned[5]).toBe('const not = import.meta.urlish;');
  });
});

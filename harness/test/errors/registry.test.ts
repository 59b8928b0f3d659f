import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE } from '../../src/errors/exit-codes.js';
import { ERROR_CODES } from '../../src/errors/registry.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CODES = Object.keys(ERROR_CODES);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const sources = [...sourceFiles(join(ROOT, 'harness/src')), ...sourceFiles(join(ROOT, 'scripts'))].map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
const registryText = readFileSync(join(ROOT, 'harness/src/errors/registry.ts'), 'utf8');

/**
 * Errors that never leave their module: each is caught where it is thrown and turned into a verdict, a
 * skip reason or an HTTP answer, so it is never printed as an error and needs no code.
 */
const INTERNAL_ERRORS = new Set([
  'CommandTimedOutError', // docs/run-page.ts: a page's step that timed out becomes a failed step
  'ForeignHostError', // docs/curl-command.ts: a request to another host becomes a skip reason
  'DeckNotRunError', // docs/deck-command.ts: a decK command the kit does not have becomes a skip reason
  'PythonJsonError', // upstream/httpbin: a body httpbin would not parse becomes its null
  'HttpbinInternalError', // upstream/httpbin: becomes httpbin's own 500 answer
  'UnsendableStatus', // upstream/httpbin: becomes gunicorn's broken status line
  'ContradictorySchemeHeaders', // upstream/httpbin: becomes gunicorn's own 400
  'RequestGone', // upstream/embedded-httpbin: the client left; nothing to answer
  // Test plumbing: LABKIT_REQUIRE_*=1 turns a skip into a failed test run, reported by vitest.
  'RequiredDockerMissing',
  'RequiredRedisMissing',
  'RequiredUpstreamMissing',
]);

describe('the error registry', () => {
  it('has unique codes, in UPPER_SNAKE_CASE, each with an exit status of the table, a title and a fix', () => {
    const written = [...registryText.matchAll(/^ {2}([A-Z][A-Z0-9_]*): \{/gm)].map((match) => match[1]);
    expect(written).toEqual(CODES);
    expect(new Set(written).size).toBe(written.length);
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
      expect([EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED], code).toContain(info.exitCode);
      expect(info.title.length, code).toBeGreaterThan(10);
      expect(info.fix.length, code).toBeGreaterThan(5);
    }
  });

  it('every code the sources use is registered, and every registered code is used', () => {
    // (The compiler checks it too: a code is an ErrorCode. This also catches a code that lost its last user.)
    const others = sources.filter(({ path }) => path !== 'harness/src/errors/registry.ts');
    const used = new Set<string>();
    for (const { text } of others) {
      for (const match of text.matchAll(/(?:super|new LabkitError)\(\s*'([A-Z][A-Z0-9_]+)'|code: '([A-Z][A-Z0-9_]+)'/g)) used.add(match[1] ?? match[2]);
    }
    expect([...used].filter((code) => !CODES.includes(code))).toEqual([]);
    expect(CODES.filter((code) => !others.some(({ text }) => text.includes(`'${code}'`)))).toEqual([]);
  });

  it('every error class of the harness is a LabkitError with a code, or one of the few that never leave their module', () => {
    const plain = sources
      .filter(({ path }) => path !== 'harness/src/errors/labkit-error.ts')
      .flatMap(({ path, text }) => [...text.matchAll(/class (\w+) extends Error\b/g)].map((match) => `${path}: ${match[1]}`));
    expect(plain.filter((entry) => !INTERNAL_ERRORS.has(entry.split(': ')[1]))).toEqual([]);
    // The exit status comes from the code, not from instanceof chains.
    const chains = sources.filter(({ text }) => /instanceof \w+Error\)\s*return EXIT_/.test(text) || /instanceof \w+Error \|\| error instanceof \w+Error\) return EXIT_/.test(text));
    expect(chains.map(({ path }) => path)).toEqual([]);
  });

  it('is documented in the README, one row per code with its exit status and title', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d+) \| (.+) \|$/gm)].map((match) => ({ code: match[1], exitCode: Number(match[2]), title: match[3] }));
    expect(rows).toEqual(Object.entries(ERROR_CODES).map(([code, info]) => ({ code, exitCode: info.exitCode, title: info.title })));
  });
});

// `npm run verify-docs` options: the runtime flags of the lab commands, and a usage error for each wrong combination.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/command-error.js';
import { parseCommandLine } from '../../src/cli/commands/command.js';
import { readVerifyDocsOptions, VERIFY_DOCS_USAGE, verifyDocsCommand } from '../../src/cli/commands/verify-docs.js';

/** The command line as npm run verify-docs reads it. */
function parseVerifyDocsArgs(argv: string[]) {
  const input = parseCommandLine(verifyDocsCommand, argv, {});
  return input === 'help' ? 'help' : readVerifyDocsOptions(input.values, input.positionals);
}

function usageError(argv: string[]): string {
  try {
    parseVerifyDocsArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('npm run verify-docs: its options', () => {
  it('defaults to the lab commands\' runtime (auto) and every page', () => {
    expect(parseVerifyDocsArgs([])).toEqual({
      paths: [], runtime: 'auto', proxyUrl: null, adminUrl: null, upstream: 'auto', junit: null, json: false, expectedFailures: null, verbose: false, isolate: false, shell: 'auto', update: false, nodes: 1, redis: false,
    });
  });

  it('reads --json', () => {
    expect(parseVerifyDocsArgs(['--json'])).toMatchObject({ json: true });
    expect(VERIFY_DOCS_USAGE).toContain('--json');
  });

  it('reads --shell auto|bash|builtin and rejects anything else', () => {
    for (const shell of ['auto', 'bash', 'builtin'] as const) expect(parseVerifyDocsArgs(['--shell', shell])).toMatchObject({ shell });
    expect(usageError(['--shell', 'zsh'])).toBe('--shell zsh: choose one of auto, bash, builtin');
    expect(VERIFY_DOCS_USAGE).toContain('--shell auto|bash|builtin');
  });

  it('reads pages, a runtime and the external gateway\'s URLs', () => {
    const args = parseVerifyDocsArgs([
      'content', '--runtime', 'external', '--proxy-url', 'http://localhost:8000', '--admin-url', 'https://kong.example:8444', '--junit', 'r.xml', '-v',
    ]);
    expect(args).toMatchObject({
      paths: ['content'], runtime: 'external', proxyUrl: 'http://localhost:8000', adminUrl: 'https://kong.example:8444', junit: 'r.xml', verbose: true,
    });
    for (const runtime of ['auto', 'local', 'containers'] as const) expect(parseVerifyDocsArgs(['--runtime', runtime])).toMatchObject({ runtime });
  });

  it('rejects an unknown runtime with the values it takes', () => {
    expect(usageError(['--runtime', 'kubernetes'])).toBe('--runtime: the runtime must be local, containers or external (or auto), not "kubernetes"');
  });

  it('wants both URLs with --runtime external', () => {
    const message = '--runtime external needs both --proxy-url URL and --admin-url URL (the gateway you started yourself)';
    expect(usageError(['--runtime', 'external'])).toBe(message);
    expect(usageError(['--runtime', 'external', '--proxy-url', 'http://localhost:8000'])).toBe(message);
    expect(usageError(['--runtime', 'external', '--admin-url', 'http://localhost:8001'])).toBe(message);
  });

  it('wants http(s) URLs, and does not repeat them (they may hold credentials)', () => {
    const message = usageError(['--runtime', 'external', '--proxy-url', 'ftp://user:secret@host', '--admin-url', 'http://localhost:8001']);
    expect(message).toBe('--proxy-url must be an http:// or https:// URL, e.g. http://localhost:8000');
    expect(usageError(['--runtime', 'external', '--proxy-url', 'http://localhost:8000', '--admin-url', 'localhost:8001'])).toBe(
      '--admin-url must be an http:// or https:// URL, e.g. http://localhost:8000',
    );
  });

  it('rejects URLs without --runtime external', () => {
    const message = '--proxy-url and --admin-url go with --runtime external; a local or container environment picks its own ports';
    expect(usageError(['--proxy-url', 'http://localhost:8000'])).toBe(message);
    expect(usageError(['--runtime', 'local', '--admin-url', 'http://localhost:8001'])).toBe(message);
    expect(usageError(['--runtime', 'containers', '--proxy-url', 'http://a', '--admin-url', 'http://b'])).toBe(message);
  });

  it('rejects an unknown upstream and an unknown option', () => {
    expect(usageError(['--upstream', 'nowhere'])).toBe('--upstream nowhere is not one of auto, debian-httpbin, embedded-httpbin');
    expect(usageError(['--runtim', 'local'])).toMatch(/^Unknown option '--runtim'/);
    // The usage follows the problem, as the error's detail.
    try {
      parseVerifyDocsArgs(['--runtim', 'local']);
    } catch (error) {
      expect((error as UsageError).detail).toMatch(/^Usage: npm run verify-docs /);
    }
  });

  it('--help needs nothing else, and the usage names every runtime flag', () => {
    expect(parseVerifyDocsArgs(['--help', '--runtime', 'external'])).toBe('help');
    for (const flag of ['--runtime auto|local|containers|external', '--proxy-url URL', '--admin-url URL']) expect(VERIFY_DOCS_USAGE).toContain(flag);
  });
});

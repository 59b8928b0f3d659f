// What every `npm run …` command gets from the command layer (commands/command.ts), checked on each
// of them in this process: --help on stdout, folded to the terminal's width; a wrong flag or a stray
// argument is a usage error (exit 2) with the usage on stderr and nothing run; a flag npm kept for
// itself says what to type; --json under npm without --silent says why stdout will not parse.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, runCommand, type CommandDefinition } from '../../src/cli/commands/index.js';
import type { CommandIo } from '../../src/cli/output.js';
import { foldUsage } from '../../src/cli/usage-text.js';
import { REPO_ROOT } from './command-process.js';

function capture(env: NodeJS.ProcessEnv = {}, columns?: number): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const tty = columns === undefined ? {} : { isTTY: true, columns };
  return {
    stdout: { write: (text: string) => (out += text), ...tty },
    stderr: { write: (text: string) => (err += text), ...tty },
    // No environment of npm run up to find, whatever this machine runs.
    env: { NO_COLOR: '1', LABKIT_STATE_DIR: '/nonexistent/labkit-every-command', ...env },
    out: () => out,
    err: () => err,
  };
}

/** A command whose run() must not be reached. */
function guarded(command: CommandDefinition): CommandDefinition {
  return { ...command, run: () => Promise.reject(new Error(`npm run ${command.name} ran`)) };
}

const names = COMMANDS.map((command) => command.name);

describe('every command', () => {
  it('is one of the commands, each once, and each is an npm script whose entry point runs it', () => {
    expect(new Set(names).size).toBe(names.length);
    const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const kit = Object.keys(scripts).filter((name) => scripts[name].startsWith('exec node bin/labkit '));
    expect([...names].sort()).toEqual(kit.sort());
    for (const name of names) {
      // scripts/<name>.ts is the thin entry point: it runs the declared command, nothing else.
      expect(readFileSync(join(REPO_ROOT, 'scripts', `${name}.ts`), 'utf8')).toMatch(/await runAsScript\(\w+Command\);\n$/);
    }
  });

  for (const command of COMMANDS) {
    describe(`npm run ${command.name}`, () => {
      it('answers --help and -h on stdout, exit 0, in 80 columns when not a terminal, and in a narrower terminal', async () => {
        for (const flag of ['--help', '-h']) {
          const io = capture();
          expect(await runCommand(guarded(command), [flag], io), io.err()).toBe(0);
          expect(io.out()).toMatch(new RegExp(`^Usage: .*npm run (--silent )?${command.name}\\b`));
          expect(io.err()).toBe('');
          for (const line of io.out().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
        }
        const narrow = capture({}, 60);
        expect(await runCommand(guarded(command), ['--help'], narrow)).toBe(0);
        // A word wider than the terminal (a path) is never cut; everything else fits.
        for (const line of narrow.out().split('\n')) if (line.trim().includes(' ')) expect(line.length, line).toBeLessThanOrEqual(60);
      });

      it('refuses an unknown flag: exit 2, the problem and the usage on stderr, nothing run', async () => {
        const io = capture();
        expect(await runCommand(guarded(command), ['--no-such-flag'], io)).toBe(2);
        expect(io.err()).toMatch(/^error\[USAGE\]: Unknown option '--no-such-flag'/);
        expect(io.err()).toContain(`npm run ${command.name}`);
        expect(io.out()).toBe('');
      });

      it('refuses more arguments than it takes, saying so', async () => {
        const io = capture();
        const max = command.maxPositionals ?? 0;
        if (max === Infinity) return; // verify-docs takes any number of pages
        const args = Array.from({ length: max + 1 }, (_, n) => `extra${n}`);
        expect(await runCommand(guarded(command), args, io)).toBe(2);
        expect(io.err()).toMatch(/extra\d/);
        expect(io.out()).toBe('');
      });

      it("says what to type when npm kept one of its flags (run without `--`)", async () => {
        const [flag, spec] = Object.entries(command.options)[0] ?? [];
        if (!flag) return; // no flags of its own: nothing npm could swallow
        const value = spec.type === 'boolean' ? 'true' : 'x';
        const io = capture({ npm_lifecycle_event: command.name, [`npm_config_${flag.replace(/-/g, '_')}`]: value });
        expect(await runCommand(guarded(command), [], io)).toBe(2);
        // Folded to 80 columns, the command to type whole on its line.
        expect(io.err()).toMatch(new RegExp(`did you mean\\s+\`npm run ${command.name} -- --${flag}${spec.type === 'boolean' ? '' : ' x'}\`\\?`));
        for (const line of io.err().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
      });
    });
  }

  it('under npm without --silent, --json warns that npm\'s banner is on stdout (the command still runs)', async () => {
    const withJson = COMMANDS.filter((command) => (command.options as Record<string, { type: string }>).json?.type === 'boolean');
    expect(withJson.map((command) => command.name).sort()).toEqual(['lab', 'labs', 'status', 'verify-docs']);
    const status = withJson.find((command) => command.name === 'status')!;
    const ran: string[] = [];
    const io = capture({ npm_lifecycle_event: 'status' });
    expect(await runCommand({ ...status, run: async () => (ran.push('status'), 0) }, ['--json'], io)).toBe(0);
    expect(ran).toEqual(['status']);
    expect(io.err()).toContain('npm printed its own banner on stdout before this output; for stdout that is only the JSON: npm run --silent status -- --json');
  });
});

describe('usage folded to a width', () => {
  const usage = [
    'Usage: npm run x [-- options]',
    '',
    'A paragraph of prose that is written for a wide terminal and goes on past sixty columns.',
    '',
    '  --keep                     leave it up afterwards, with its URLs and curl commands;',
    '                             Ctrl-C ends it',
    '  --runtime auto|local|containers|external',
    '                             auto (default): containers when Docker answers',
    '  -h, --help                 this help',
  ].join('\n');

  it('leaves what fits as written', () => {
    expect(foldUsage(usage, 100)).toBe(usage);
  });

  it('re-flows a row under its description column, and prose to the width', () => {
    expect(foldUsage(usage, 60).split('\n')).toEqual([
      'Usage: npm run x [-- options]',
      '',
      'A paragraph of prose that is written for a wide terminal and',
      'goes on past sixty columns.',
      '',
      '  --keep                     leave it up afterwards, with',
      '                             its URLs and curl commands;',
      '                             Ctrl-C ends it',
      '  --runtime auto|local|containers|external',
      '                             auto (default): containers when',
      '                             Docker answers',
      '  -h, --help                 this help',
    ]);
  });
});

// The README's command table against the commands themselves: every kit command of package.json is
// in the table, starts through bin/labkit, answers --help (exit 0, its usage on stdout), and the
// flags its help lists are the flags the table lists.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './command-process.js';

/** package.json scripts that are not kit commands: npm's and the tools'. */
const NOT_KIT_COMMANDS = new Set(['test', 'typecheck', 'gateway', 'prepare']);

const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const kitCommands = Object.keys(scripts).filter((name) => !NOT_KIT_COMMANDS.has(name));

/** Command name → the flags of its row, from the README's table under "## Commands". */
function readmeTable(): Map<string, Set<string>> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
  const rows = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [command, flags] = line.split(/(?<!\\)\|/).slice(1, 3);
    const name = /npm run (?:--silent )?([a-z][\w-]*)/.exec(command)?.[1];
    if (name) rows.set(name, new Set(flags.match(/--[a-z][\w-]*/g) ?? []));
  }
  return rows;
}

/**
 * The flags in a usage's option column (the rows that start with a flag, two spaces in; a description
 * folded onto a line that starts with a flag is deeper in), -h/--help aside.
 */
export function helpFlags(usage: string): Set<string> {
  const flags = new Set<string>();
  for (const line of usage.split('\n')) {
    if (!/^ {1,4}-/.test(line)) continue;
    const column = line.trim().split(/\s{2,}/)[0];
    for (const flag of column.match(/--[a-z][\w-]*/g) ?? []) if (flag !== '--help') flags.add(flag);
  }
  return flags;
}

describe('the README command table', () => {
  const table = readmeTable();

  it('lists every kit command, each of which npm starts through bin/labkit', () => {
    expect(kitCommands.length).toBeGreaterThan(5);
    for (const name of kitCommands) {
      expect(scripts[name], `package.json scripts.${name}`).toBe(`exec node bin/labkit ${name}`);
      expect(table.has(name), `README row for npm run ${name}`).toBe(true);
    }
  });

  it('reads option columns the way a person does', () => {
    expect(helpFlags('  --keep      stay\n  --runtime auto|local   which\n                  see --json\n  -h, --help  this\n  --load a, --upstream b   x')).toEqual(
      new Set(['--keep', '--runtime', '--load', '--upstream']),
    );
  });

  for (const name of kitCommands) {
    it(`npm run ${name} -- --help answers, and names the flags the table names`, { timeout: 60_000 }, async () => {
      const run = await execa(process.execPath, [join(REPO_ROOT, 'bin', 'labkit'), name, '--help'], { cwd: REPO_ROOT, reject: false, env: { NO_COLOR: '1' } });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/usage: /i);
      expect(run.stdout).toMatch(new RegExp(`npm run (--silent )?${name}\\b`));
      expect([...helpFlags(run.stdout)].sort()).toEqual([...(table.get(name) ?? [])].sort());
    });
  }
});

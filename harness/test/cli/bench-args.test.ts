// `npm run bench` options as the command reads them (the bench itself is never run here).
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/bench/options.js';
import { UsageError } from '../../src/errors/command-error.js';
import { parseCommandLine } from '../../src/cli/commands/command.js';
import { benchCommand, readBenchOptions } from '../../src/cli/commands/bench.js';

function parseBenchArgs(argv: string[]) {
  const input = parseCommandLine(benchCommand, argv, {});
  if (input === 'help') throw new Error('help');
  return readBenchOptions(input.values);
}

describe('bench arguments', () => {
  it('defaults to the full run', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_OPTIONS);
  });

  it('--quick shortens the run; explicit values still win', () => {
    const quick = parseBenchArgs(['--quick']);
    expect(quick.quick).toBe(true);
    expect(quick.durationSeconds).toBeLessThan(DEFAULT_OPTIONS.durationSeconds);
    expect(parseBenchArgs(['--duration', '4', '--quick']).durationSeconds).toBe(4);
  });

  it('reads --json FILE and --flag=value forms', () => {
    const options = parseBenchArgs(['--json', 'out.json', '--rounds=7', '--no-labs', '--load', 'autocannon', '--profile', 'prof', '--no-priority', '--warmup', '2']);
    expect(options).toMatchObject({ jsonFile: 'out.json', rounds: 7, labs: false, load: 'autocannon', profileDir: 'prof', priority: false, warmupSeconds: 2 });
  });

  it('--only startup is one of the sections --only knows, alone or in a list', () => {
    expect(parseBenchArgs(['--only', 'startup']).only).toEqual(['startup']);
    expect(parseBenchArgs(['--only', 'plugins,redis', '--only=nodes']).only).toEqual(['nodes']);
    expect(parseBenchArgs(['--only=plugins,redis,plugins']).only).toEqual(['plugins', 'redis']);
    expect(parseBenchArgs([]).only).toBeNull();
    expect(() => parseBenchArgs(['--only', 'labs'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--only', 'plugins,labs'])).toThrow(/startup, plugins, redis, nodes/);
    expect(() => parseBenchArgs(['--only', ','])).toThrow(/needs one or more/);
  });

  it('refuses what it does not know, saying how to call it (a usage error: exit 2)', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/Unknown option '--fast'[\s\S]*Usage: npm run bench/);
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/--rounds needs a positive whole number, got "0"/);
    expect(() => parseBenchArgs(['--duration', 'x'])).toThrow(/--duration needs a positive number/);
    expect(() => parseBenchArgs(['--json'])).toThrow(/argument missing/);
    expect(() => parseBenchArgs(['--load', 'ab'])).toThrow(/wrk, autocannon/);
  });
});

// decK's flag syntax, as cobra/pflag parse it.

import { describe, expect, it } from 'vitest';
import { DeckUsageError, parseFlags, type FlagSpec } from '../../src/deck/cli/flags.js';

const SPECS: FlagSpec[] = [
  { name: 'force', kind: 'bool', short: 'f' },
  { name: 'select-tag', kind: 'slice' },
  { name: 'output-file', kind: 'string', short: 'o' },
  { name: 'parallelism', kind: 'int' },
];

describe('parseFlags', () => {
  it('reads --name value, --name=value, -x value, bools without a value and positionals in any order', () => {
    expect(parseFlags(['a.yaml', '--output-file', 'x', '-f', '--parallelism=3', 'b.yaml'], SPECS)).toEqual({
      values: { 'output-file': 'x', force: true, parallelism: 3 },
      positionals: ['a.yaml', 'b.yaml'],
    });
    expect(parseFlags(['-o=y', '--force=false'], SPECS).values).toEqual({ 'output-file': 'y', force: false });
  });

  it('string slices repeat and split on commas', () => {
    expect(parseFlags(['--select-tag', 'a,b', '--select-tag=c'], SPECS).values['select-tag']).toEqual(['a', 'b', 'c']);
  });

  it('`-` is a file (stdin) and `--` ends the flags', () => {
    expect(parseFlags(['-', '--', '-f'], SPECS).positionals).toEqual(['-', '-f']);
  });

  it("refuses what pflag refuses, with pflag's words", () => {
    expect(() => parseFlags(['--nope'], SPECS)).toThrow(new DeckUsageError('unknown flag: --nope'));
    expect(() => parseFlags(['-x'], SPECS)).toThrow("unknown shorthand flag: 'x' in -x");
    expect(() => parseFlags(['--output-file'], SPECS)).toThrow('flag needs an argument: --output-file');
    expect(() => parseFlags(['--parallelism', 'many'], SPECS)).toThrow('invalid argument "many" for "--parallelism" flag');
    expect(() => parseFlags(['--force=maybe'], SPECS)).toThrow('invalid argument "maybe" for "-f, --force" flag');
  });
});

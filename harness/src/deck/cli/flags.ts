// decK's flag syntax (cobra/pflag): `--name value`, `--name=value`, `-x value`, `-x=value`, bool
// flags without a value (`--force`, or `--force=false`), string slices repeatable and comma-separated
// (`--select-tag a,b --select-tag c`), `--` ending the flags. Anything else is decK's usage error.

import { LabkitError } from '../../errors/labkit-error.js';

export type FlagKind = 'bool' | 'string' | 'slice' | 'int';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  short?: string;
}

export type FlagValues = Record<string, boolean | string | string[] | number | undefined>;

export class DeckUsageError extends LabkitError {
  constructor(message: string) {
    super('USAGE', { problem: message });
    this.name = 'DeckUsageError';
  }
}

/** pflag's StringSlice: CSV, so `a,b` is two values (quotes are not needed by anyone here). */
function splitSlice(value: string): string[] {
  return value === '' ? [] : value.split(',').map((part) => part.trim());
}

function parseBool(flag: string, value: string): boolean {
  if (/^(1|t|true|TRUE|True)$/.test(value)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(value)) return false;
  throw new DeckUsageError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

export function parseFlags(argv: string[], specs: FlagSpec[]): { values: FlagValues; positionals: string[] } {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));
  const values: FlagValues = {};
  const positionals: string[] = [];
  const set = (spec: FlagSpec, shown: string, value: string) => {
    if (spec.kind === 'slice') values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), ...splitSlice(value)];
    else if (spec.kind === 'bool') values[spec.name] = parseBool(shown, value);
    else if (spec.kind === 'int') {
      if (!/^-?\d+$/.test(value)) throw new DeckUsageError(`invalid argument "${value}" for "${shown}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      values[spec.name] = Number(value);
    } else values[spec.name] = value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // `-` alone is a file name: stdin.
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const spec = long ? byName.get(name) : byShort.get(name);
    const shown = long ? `--${name}` : `-${name}`;
    if (!spec) {
      throw new DeckUsageError(long ? `unknown flag: --${name}` : `unknown shorthand flag: '${name[0]}' in ${arg}`);
    }
    const shownFlag = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
    if (eq !== -1) {
      set(spec, shownFlag, body.slice(eq + 1));
      continue;
    }
    if (spec.kind === 'bool') {
      values[spec.name] = true;
      continue;
    }
    if (i + 1 >= argv.length) throw new DeckUsageError(`flag needs an argument: ${shown}`);
    i += 1;
    set(spec, shownFlag, argv[i]);
  }
  return { values, positionals };
}

// `npm run lab 3 --keep` (no `--`): npm takes `--keep` as one of its own settings, exports it to the
// script as npm_config_keep=true and drops it from the arguments, so the command would silently run
// without it. This finds such flags and says what to type instead.

export interface FlagSpec {
  type: 'boolean' | 'string';
}

export interface NpmFlagCheck {
  /** The `npm run <name>` this is (npm_lifecycle_event says whether we run under it). */
  command: string;
  options: Record<string, FlagSpec>;
  argv: string[];
  positionals: string[];
  /** How many positionals the command takes (lab: 1); the ones after may be values npm left behind. */
  expectedPositionals: number;
  env: NodeJS.ProcessEnv;
}

/**
 * "npm took --keep for one of its own settings …: did you mean `npm run lab 3 -- --keep`?", or null
 * when npm swallowed none of the command's flags (or the command does not run under npm run).
 */
export function swallowedNpmFlags(check: NpmFlagCheck): string | null {
  if (check.env.npm_lifecycle_event !== check.command) return null;
  const given = new Set(check.argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]));
  const swallowed: Array<{ name: string; value: string | null }> = [];
  for (const [name, spec] of Object.entries(check.options)) {
    if (name === 'help' || given.has(name)) continue;
    const value = check.env[`npm_config_${name.replace(/-/g, '_')}`];
    // npm also exports its own settings, empty when unset; a swallowed flag reads "true" (or `--flag=value`'s value).
    if (value === undefined || value === '') continue;
    swallowed.push({ name, value: spec.type === 'string' && value !== 'true' ? value : null });
  }
  if (swallowed.length === 0) return null;

  // `npm run lab 3 --runtime local` leaves `3 local`: a stray value goes back after its flag when
  // exactly one swallowed string flag can own it.
  const kept = check.positionals.slice(0, check.expectedPositionals);
  let stray = check.positionals.slice(check.expectedPositionals);
  const waiting = swallowed.filter((flag) => flag.value === null && check.options[flag.name].type === 'string');
  if (stray.length === 1 && waiting.length === 1) {
    waiting[0].value = stray[0];
    stray = [];
  }
  const flags = swallowed.map((flag) => (flag.value === null ? `--${flag.name}` : `--${flag.name} ${flag.value}`));
  const typed = ['npm run', check.command, ...kept, ...stray, '--', ...flags].join(' ');
  const names = swallowed.map((flag) => `--${flag.name}`).join(' ');
  return (
    `npm took ${names} for ${swallowed.length === 1 ? 'one of its own settings' : 'its own settings'}: the command would run without ${swallowed.length === 1 ? 'it' : 'them'}.\n` +
    `Flags for the command go after \`--\`: did you mean \`${typed}\`?`
  );
}

/**
 * Under `npm run <command>` without --silent, npm prints its banner (`> name@version command`) on
 * stdout before the command starts, so stdout is not the command's alone (`--json > r.json` breaks).
 * Returns what to type instead, or null when stdout is the command's.
 */
export function npmBannerNote(command: string, argv: string[], env: NodeJS.ProcessEnv): string | null {
  if (env.npm_lifecycle_event !== command) return null;
  if (env.npm_config_loglevel === 'silent') return null;
  return `npm printed its own banner on stdout before this output; for stdout that is only the JSON: npm run --silent ${command} -- ${argv.join(' ')}`;
}

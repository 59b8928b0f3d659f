// How every `npm run …` command is declared and run: a name, its usage, its options (node:util
// parseArgs), and run(). The framework parses the command line, answers --help, refuses flags npm
// kept for itself, warns when npm's banner shares stdout with --json, and turns every error into one
// printed message and one exit status (exit-codes.ts).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LabkitError } from '../../errors/labkit-error.js';
import { writeError } from '../../errors/render.js';
import { UsageError } from '../../errors/command-error.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { npmBannerNote, swallowedNpmFlags } from '../npm-config-flags.js';
import { processIo, type CommandIo } from '../output.js';
import { outputWidth } from '../../terminal/output-stream.js';
import { foldUsage } from '../usage-text.js';
import { foldLine } from '../../report/wrap.js';

export type CommandOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type ParsedValues<O extends CommandOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];

export interface CommandInput<O extends CommandOptionsConfig> {
  values: ParsedValues<O>;
  positionals: string[];
  argv: string[];
}

export interface CommandDefinition<O extends CommandOptionsConfig = CommandOptionsConfig> {
  /** `npm run <name>` (and scripts/<name>.ts). */
  name: string;
  /** Shown by --help and on a usage error; lists every option (a test holds the README to it). */
  usage: string;
  /** Without `help`: every command has -h/--help. */
  options: O;
  /** How many positionals the command takes at most (default 0). */
  maxPositionals?: number;
  /** What to say for more positionals than that (default: how many the command takes). */
  tooManyArguments?(positionals: string[]): string;
  run(input: CommandInput<O>, io: CommandIo): Promise<number>;
  /**
   * As a script, end the process once run() returns, rather than when nothing is left to do (the
   * bench: load generators may keep sockets referenced after their last report).
   */
  exitWhenDone?: boolean;
}

export function defineCommand<O extends CommandOptionsConfig>(definition: CommandDefinition<O>): CommandDefinition<O> {
  return definition;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** The command line read against the definition, or 'help'; throws UsageError. */
export function parseCommandLine<O extends CommandOptionsConfig>(command: CommandDefinition<O>, argv: string[], env: NodeJS.ProcessEnv): CommandInput<O> | 'help' {
  const options = { ...command.options, ...HELP };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${command.usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) return 'help';
  const max = command.maxPositionals ?? 0;
  const swallowed = swallowedNpmFlags({ command: command.name, options, argv, positionals: parsed.positionals, expectedPositionals: max, env });
  if (swallowed) throw new UsageError(swallowed);
  if (parsed.positionals.length > max) {
    if (command.tooManyArguments) throw new UsageError(command.tooManyArguments(parsed.positionals));
    const what = max === 0 ? 'no arguments' : `at most ${max} argument${max === 1 ? '' : 's'}`;
    throw new UsageError(`npm run ${command.name} takes ${what} (got ${parsed.positionals.join(' ')})\n\n${command.usage}`);
  }
  return { values: parsed.values as ParsedValues<O>, positionals: parsed.positionals, argv };
}

/**
 * The one way a command prints an error: a LabkitError rendered (errors/render.ts), its exit status from
 * the registry; anything else is a bug, printed with the command's name and the stack.
 */
export function printError(io: Pick<CommandIo, 'stderr' | 'env'>, command: string, error: unknown): number {
  if (error instanceof LabkitError) {
    const width = outputWidth(io.stderr, io.env);
    writeError(io.stderr, io.env, error, {
      line: (line, hang) => foldLine(line, width, hang),
      detail: (text, indent) => foldUsage(text, width - indent),
    });
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`npm run ${command}: unexpected error: ${detail}\n`);
  return EXIT_FAILED;
}

export async function runCommand<O extends CommandOptionsConfig>(command: CommandDefinition<O>, argv: string[], io: CommandIo = processIo()): Promise<number> {
  try {
    const input = parseCommandLine(command, argv, io.env);
    if (input === 'help') {
      io.stdout.write(`${foldUsage(command.usage, outputWidth(io.stdout, io.env))}\n`);
      return EXIT_OK;
    }
    // `--json` promises stdout that parses: say so when npm's banner already broke that promise.
    const banner = (input.values as { json?: unknown }).json === true ? npmBannerNote(command.name, argv, io.env) : null;
    if (banner) io.stderr.write(`${banner}\n`);
    return await command.run(input, io);
  } catch (error) {
    return printError(io, command.name, error);
  }
}

/** A scripts/<name>.ts entry point: runs the command on this process's arguments and streams. */
export async function runAsScript<O extends CommandOptionsConfig>(command: CommandDefinition<O>): Promise<void> {
  process.exitCode = await runCommand(command, process.argv.slice(2));
  if (command.exitWhenDone) process.exit();
}

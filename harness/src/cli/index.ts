import { readCommandOptions, usage, UsageError, type CommandOptions } from './args.js';
import { parseCommandLine, runCommand } from './commands/command.js';
import { labCommand } from './commands/lab.js';
import { labsCommand } from './commands/labs.js';
import { processIo, type CommandIo } from './output.js';

export { EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';
export { usage, UsageError, type CommandOptions };
export { processIo, type CommandIo, type OutputStream } from './output.js';
export { walkThroughLab } from './walk-through.js';

/** `npm run lab …` in this process (tests, and anything that embeds the kit). */
export const runLabCommand = (argv: string[], io: CommandIo = processIo()): Promise<number> => runCommand(labCommand, argv, io);
/** `npm run labs …` in this process. */
export const runLabsCommand = (argv: string[], io: CommandIo = processIo()): Promise<number> => runCommand(labsCommand, argv, io);

/** A lab or labs command line read as the command reads it (the framework's parse, then the command's checks); throws UsageError. */
export function parseCommandArgs(argv: string[], command: 'lab' | 'labs', env: NodeJS.ProcessEnv = {}): CommandOptions {
  const input = parseCommandLine(command === 'lab' ? labCommand : labsCommand, argv, env);
  if (input === 'help') throw new UsageError(usage(command));
  return readCommandOptions(command, input.values, input.positionals);
}

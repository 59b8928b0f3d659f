// The errors a command ends with on purpose: each carries its exit status (exit-codes.ts), and the
// command framework prints its message the one way (cli/commands/command.ts).

import { EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Wrong command line: the message says what to type instead. */
export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

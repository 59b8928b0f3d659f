// The errors a command ends with on purpose: LabkitErrors (errors/) whose code gives the exit status,
// printed the one way by the command framework (cli/commands/command.ts).

import { EXIT_INTERRUPTED, EXIT_USAGE } from './exit-codes.js';
import { LabkitError } from './labkit-error.js';

/** The message's first paragraph is the problem; what follows a blank line (the usage) is quoted after it. */
function problemAndDetail(message: string): { problem: string; detail?: string } {
  const blank = message.indexOf('\n\n');
  return blank === -1 ? { problem: message } : { problem: message.slice(0, blank), detail: message.slice(blank + 2) };
}

export class CommandError extends LabkitError {
  constructor(message: string, exitCode?: number) {
    super(exitCode === EXIT_USAGE ? 'USAGE' : exitCode === EXIT_INTERRUPTED ? 'INTERRUPTED' : 'COMMAND_FAILED', problemAndDetail(message));
    this.name = 'CommandError';
  }
}

/** Wrong command line: the message says what to type instead (and the usage after a blank line). */
export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

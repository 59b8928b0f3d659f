export { runLabCommand, EXIT_FAILED, EXIT_USAGE } from './lab-command.js';
export { runLabsCommand } from './labs-command.js';
export { parseCommandArgs, usage, UsageError, type CommandOptions } from './args.js';
export { processIo, type CommandIo, type OutputStream } from './output.js';
export { walkThroughLab } from './walk-through.js';

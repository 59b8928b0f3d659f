// Every command declared with defineCommand (command.ts), by name. scripts/<name>.ts imports its
// own module directly, so that a command loads only what it needs.

export { defineCommand, parseCommandLine, printError, runAsScript, runCommand, type CommandDefinition, type CommandInput } from './command.js';
export { doctorCommand } from './doctor.js';
export { downCommand } from './down.js';
export { envCommand } from './env.js';
export { gotoCommand } from './goto.js';
export { resetCommand } from './reset.js';
export { statusCommand } from './status.js';
export { upCommand } from './up.js';

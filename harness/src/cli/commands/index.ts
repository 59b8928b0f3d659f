// Every `npm run …` command, declared with defineCommand (command.ts), by name. scripts/<name>.ts
// imports its own module directly, so that a command loads only what it needs.

import { benchCommand } from './bench.js';
import type { CommandDefinition } from './command.js';
import { doctorCommand } from './doctor.js';
import { downCommand } from './down.js';
import { envCommand } from './env.js';
import { gotoCommand } from './goto.js';
import { imagesCommand } from './images.js';
import { labCommand } from './lab.js';
import { labsCommand } from './labs.js';
import { redisCommand } from './redis.js';
import { resetCommand } from './reset.js';
import { statusCommand } from './status.js';
import { upCommand } from './up.js';
import { verifyDocsCommand } from './verify-docs.js';

export { defineCommand, parseCommandLine, printError, runAsScript, runCommand, type CommandDefinition, type CommandInput } from './command.js';
export { benchCommand, doctorCommand, downCommand, envCommand, gotoCommand, imagesCommand, labCommand, labsCommand, redisCommand, resetCommand, statusCommand, upCommand, verifyDocsCommand };

export const COMMANDS: readonly CommandDefinition[] = [
  labCommand, labsCommand, verifyDocsCommand, upCommand, statusCommand, gotoCommand, resetCommand, redisCommand, downCommand, doctorCommand, envCommand,
  imagesCommand, benchCommand,
] as CommandDefinition[];

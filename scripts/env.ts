// eval "$(npm run --silent env)"   (npm run env -- --help). Replaces npm's own `npm run env` listing.
import { processIo } from '../harness/src/classroom/index.js';
import { runEnvCommand } from '../harness/src/deck/shell-env.js';

process.exitCode = await runEnvCommand(process.argv.slice(2), processIo());

// eval "$(npm run --silent env)"   (npm run env -- --help); declared in harness/src/cli/commands/env.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { envCommand } from '../harness/src/cli/commands/env.js';

await runAsScript(envCommand);

// npm run reset [-- options]   (npm run reset -- --help); declared in harness/src/cli/commands/reset.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { resetCommand } from '../harness/src/cli/commands/reset.js';

await runAsScript(resetCommand);

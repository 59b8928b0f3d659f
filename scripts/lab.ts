// npm run lab [-- options]   (npm run lab -- --help); declared in harness/src/cli/commands/lab.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { labCommand } from '../harness/src/cli/commands/lab.js';

await runAsScript(labCommand);

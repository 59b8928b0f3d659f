// npm run labs [-- options]   (npm run labs -- --help); declared in harness/src/cli/commands/labs.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { labsCommand } from '../harness/src/cli/commands/labs.js';

await runAsScript(labsCommand);

// npm run goto [-- options]   (npm run goto -- --help); declared in harness/src/cli/commands/goto.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { gotoCommand } from '../harness/src/cli/commands/goto.js';

await runAsScript(gotoCommand);

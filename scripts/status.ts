// npm run status [-- options]   (npm run status -- --help); declared in harness/src/cli/commands/status.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { statusCommand } from '../harness/src/cli/commands/status.js';

await runAsScript(statusCommand);

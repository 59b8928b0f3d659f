// npm run up [-- options]   (npm run up -- --help); declared in harness/src/cli/commands/up.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { upCommand } from '../harness/src/cli/commands/up.js';

await runAsScript(upCommand);

// npm run down [-- options]   (npm run down -- --help); declared in harness/src/cli/commands/down.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { downCommand } from '../harness/src/cli/commands/down.js';

await runAsScript(downCommand);

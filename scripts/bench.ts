// npm run bench [-- options]   (npm run bench -- --help); declared in harness/src/cli/commands/bench.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { benchCommand } from '../harness/src/cli/commands/bench.js';

await runAsScript(benchCommand);

// npm run images [-- options]   (npm run images -- --help); declared in harness/src/cli/commands/images.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { imagesCommand } from '../harness/src/cli/commands/images.js';

await runAsScript(imagesCommand);

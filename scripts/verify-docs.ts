// npm run verify-docs [-- FILES|FOLDERS…] [options]   (npm run verify-docs -- --help); declared in harness/src/cli/commands/verify-docs.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { verifyDocsCommand } from '../harness/src/cli/commands/verify-docs.js';

await runAsScript(verifyDocsCommand);

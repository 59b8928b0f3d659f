// npm run reset [-- options]   (npm run reset -- --help)
import { runResetCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runResetCommand(process.argv.slice(2));

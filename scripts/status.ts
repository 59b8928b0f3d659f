// npm run status [-- options]   (npm run status -- --help)
import { runStatusCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runStatusCommand(process.argv.slice(2));

// npm run up [-- options]   (npm run up -- --help)
import { runUpCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runUpCommand(process.argv.slice(2));

// npm run down [-- options]   (npm run down -- --help)
import { runDownCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runDownCommand(process.argv.slice(2));

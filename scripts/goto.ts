// npm run goto [-- options]   (npm run goto -- --help)
import { runGotoCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runGotoCommand(process.argv.slice(2));

// npm run lab <number|slug> [-- --keep --runtime external --proxy-url URL --admin-url URL --junit FILE --json]
import { runLabCommand } from '../harness/src/cli/index.js';

process.exitCode = await runLabCommand(process.argv.slice(2));

// npm run labs [-- --runtime external --proxy-url URL --admin-url URL --junit FILE --json]
import { runLabsCommand } from '../harness/src/cli/index.js';

process.exitCode = await runLabsCommand(process.argv.slice(2));

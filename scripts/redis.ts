// npm run redis -- stop|start|status   (npm run redis -- --help)
import { runRedisCommand } from '../harness/src/classroom/index.js';
import { processIo } from '../harness/src/cli/output.js';

process.exitCode = await runRedisCommand(process.argv.slice(2), processIo());

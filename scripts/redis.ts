// npm run redis -- stop|start|status   (npm run redis -- --help)
import { runRedisCommand } from '../harness/src/classroom/index.js';

process.exitCode = await runRedisCommand(process.argv.slice(2));

// npm run redis -- stop|start|status   (npm run redis -- --help); declared in harness/src/cli/commands/redis.ts.
import { runAsScript } from '../harness/src/cli/commands/command.js';
import { redisCommand } from '../harness/src/cli/commands/redis.js';

await runAsScript(redisCommand);

// `npm run redis -- stop|start|status`: the instructor's switch for the Redis of the class environment.

import { REDIS_ACTIONS, switchClassroomRedis, type RedisAction } from '../../classroom/commands/redis.js';
import { UsageError } from '../../errors/command-error.js';
import { defineCommand } from './command.js';

const USAGE = [
  'Usage: npm run redis -- stop|start|status',
  '',
  'The Redis of the environment of npm run up (the one',
  'redis-stack.redis.svc.cluster.local:6379 reaches):',
  '  stop     kill it, as an outage would (its counters are gone): with',
  '           fault_tolerant: true requests still pass, without rate-limit headers;',
  '           with fault_tolerant: false they get 500',
  '  start    start it again on the same port (empty), and wait until every',
  '           gateway node uses it again (they reconnect by themselves)',
  '  status   whether it runs and answers PING',
  '',
  '  -h, --help  this help',
].join('\n');

export const redisCommand = defineCommand({
  name: 'redis',
  usage: USAGE,
  options: {},
  maxPositionals: 1,
  tooManyArguments: (positionals) => `Give one of stop, start or status (got ${positionals.join(' ')}).\n\n${USAGE}`,
  run({ positionals: [action] }, io) {
    if (!(REDIS_ACTIONS as readonly string[]).includes(action)) throw new UsageError(`Give one of stop, start or status.\n\n${USAGE}`);
    return switchClassroomRedis(action as RedisAction, io);
  },
});

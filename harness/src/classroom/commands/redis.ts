// `npm run redis -- stop|start|status`: the instructor's switch for the Redis of the environment of
// `npm run up`, to show what `fault_tolerant` does while it is gone and that the nodes use it again
// when it is back (without a restart).

import { answersPing } from '../../redis/redis-server.js';
import { shownPath, statePaths } from '../paths.js';
import { classroomRedisRunning, ensureClassroomRedis, stopClassroomRedis } from '../redis.js';
import { readRecordForCommand } from '../state.js';
import { EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, EXIT_USAGE, printer, type ClassroomIo } from './io.js';
import { UsageError } from '../../errors/command-error.js';
import { writeError } from '../../errors/render.js';

export const REDIS_USAGE = [
  'Usage: npm run redis -- stop|start|status',
  '',
  'The Redis of the environment of npm run up (the one redis-stack.redis.svc.cluster.local:6379 reaches):',
  '  stop     kill it, as an outage would (its counters are gone): with fault_tolerant: true requests still',
  '           pass, without rate-limit headers; with fault_tolerant: false they get 500',
  '  start    start it again on the same port (empty); the gateway nodes use it again by themselves',
  '  status   whether it runs and answers PING',
].join('\n');

export async function runRedisCommand(argv: string[], io: ClassroomIo): Promise<number> {
  const action = argv[0];
  if (action === '-h' || action === '--help') {
    io.stdout.write(`${REDIS_USAGE}\n`);
    return EXIT_OK;
  }
  if (argv.length !== 1 || !['stop', 'start', 'status'].includes(action)) {
    const usage = new UsageError(`Give one of stop, start or status.\n\n${REDIS_USAGE}`);
    writeError(io.stderr, io.env, usage);
    return usage.exitCode;
  }
  const out = printer(io);
  const paths = statePaths(io.env);
  const record = readRecordForCommand(paths, io.stderr);
  if (record === 'broken') return EXIT_FAILED;
  if (!record) {
    io.stderr.write(`No environment is running (nothing recorded in ${shownPath(paths.stateFile)}). Start one with: npm run up -- --redis\n`);
    return EXIT_NO_ENVIRONMENT;
  }
  if (!record.redis) {
    io.stderr.write('This environment has no Redis: redis-server was not installed when npm run up started it. Install it, then npm run down and npm run up -- --redis.\n');
    return EXIT_FAILED;
  }
  const where = `${record.redis.host}:${record.redis.port} (redis-stack.redis.svc.cluster.local:6379 for the gateway)`;
  switch (action) {
    case 'stop':
      out.say((await stopClassroomRedis(paths)) ? `Redis at ${where} stopped. Its counters are gone.` : `Redis at ${where} was not running.`);
      return EXIT_OK;
    case 'start':
      out.say((await ensureClassroomRedis(paths)) ? `Redis started at ${where}, empty.` : `Redis at ${where} was already running.`);
      return EXIT_OK;
    default: {
      // In a container, running is answering (the container itself runs while its redis-server is stopped).
      const running = await classroomRedisRunning(record);
      const answers = running && (await answersPing(record.redis.host, record.redis.port, undefined, false));
      out.say(`Redis at ${where}: ${running ? (answers ? out.p.green('running, answers PING') : out.p.red('running, but does not answer PING')) : out.p.yellow('not running')}`);
      return running && !answers ? EXIT_FAILED : EXIT_OK;
    }
  }
}

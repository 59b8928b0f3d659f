// `npm run redis -- stop|start|status`: the instructor's switch for the Redis of the environment of
// `npm run up`, to show what `fault_tolerant` does while it is gone and that the nodes use it again
// when it is back (without a restart).

import { waitUntilNodesReachRedis } from '../../redis/nodes-reconnected.js';
import { answersPing } from '../../redis/redis-server.js';
import { shownPath, statePaths } from '../paths.js';
import { classroomRedisRunning, ensureClassroomRedis, stopClassroomRedis } from '../redis.js';
import { readRecordForCommand } from '../state.js';
import { EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, printer, type ClassroomIo } from './io.js';

export const REDIS_ACTIONS = ['stop', 'start', 'status'] as const;
export type RedisAction = (typeof REDIS_ACTIONS)[number];

export async function switchClassroomRedis(action: RedisAction, io: ClassroomIo): Promise<number> {
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
    case 'start': {
      if (!(await ensureClassroomRedis(paths))) {
        out.say(`Redis at ${where} was already running.`);
        return EXIT_OK;
      }
      // Back only once the nodes count in it again: before that a request is proxied unlimited (or gets 500).
      const reconnected = await waitUntilNodesReachRedis((record.nodes ?? [record]).map((node) => node.adminUrl));
      const after = reconnected.kind === 'reconnected' ? ` Every gateway node reached it again after ${reconnected.afterMs} ms.` : '';
      out.say(`Redis started at ${where}, empty.${after}`);
      return EXIT_OK;
    }
    default: {
      // In a container, running is answering (the container itself runs while its redis-server is stopped).
      const running = await classroomRedisRunning(record);
      const answers = running && (await answersPing(record.redis.host, record.redis.port, undefined, false));
      out.say(`Redis at ${where}: ${running ? (answers ? out.p.green('running, answers PING') : out.p.red('running, but does not answer PING')) : out.p.yellow('not running')}`);
      return running && !answers ? EXIT_FAILED : EXIT_OK;
    }
  }
}

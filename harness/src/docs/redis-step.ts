// A page's `npm run redis -- stop|start|status`, run by verify-docs on the run's own environment rather
// than in bash: in a reader's shell the command acts on the environment of `npm run up`, which is not the
// one verify-docs runs the page on. Where that environment has no Redis the kit runs, the outage cannot
// be shown, so the page is not verifiable from there on (its next blocks document the outage).

import type { LabEnvironment } from '../env/index.js';
import { waitUntilNodesReachRedis } from '../redis/nodes-reconnected.js';
import type { StepResult } from './run-page.js';
import type { RedisStep } from './types.js';

const WHERE = "run by verify-docs on this run's environment (in a reader's shell it acts on the environment of npm run up)";

function noRedisReason(env: LabEnvironment): string {
  if (env.runtime === 'external') return "an external gateway's Redis is not the kit's to stop or start";
  return 'redis-server is not installed (apt-get install -y redis-server, or brew install redis)';
}

export async function runRedisStep(step: RedisStep, env: LabEnvironment): Promise<StepResult> {
  const ran = (note: string): StepResult => ({ step, drifts: [], compared: false, notes: [`${note}; ${WHERE}`] });
  const redis = env.redis;
  if (!redis) {
    const why = noRedisReason(env);
    if (step.action === 'status') return { step, drifts: [], compared: false, notes: [], skipped: `this environment has no Redis the kit runs (${why})` };
    return { step, drifts: [], compared: false, notes: [], skipped: `not verifiable: it stops and starts the environment's Redis, and this environment has none the kit runs (${why})` };
  }
  switch (step.action) {
    case 'stop':
      await redis.stop();
      return ran('Redis stopped, as an outage would: its counters are gone');
    case 'start': {
      await redis.start();
      const nodes = (env.nodes ?? []).map((node) => node.adminUrl);
      const reconnected = await waitUntilNodesReachRedis(nodes.length > 0 ? nodes : [env.adminUrl]);
      const after = reconnected.kind === 'reconnected' ? `, and every gateway node reached it again after ${reconnected.afterMs} ms` : '';
      return ran(`Redis started again on the same port, empty${after}`);
    }
    case 'status':
      return ran(`Redis ${redis.running ? 'runs' : 'is not running'}`);
  }
}

// What environment a lab runs on: its `nodes:` and `redis:` (or more, from --nodes/--redis), and
// whether an environment at hand fits. A node count is matched exactly: a local-policy limit on 3
// nodes is not the one on 1.

import type { LabEnvironment } from '../env/index.js';
import { probeDocker } from '../env/containers/docker-endpoint.js';
import { REDIS_INSTALL_HINT, redisServerAvailability } from '../redis/redis-server.js';
import { REQUIRE_REDIS_ENV } from '../redis/requirements.js';
import type { Lab } from '../spec/types.js';
import type { CommandOptions } from './args.js';

export interface EnvironmentNeeds {
  nodes: number;
  redis: boolean;
  /** The lab stops and starts that Redis (`redis: stop|start` steps): it must be one the kit runs. */
  stopsRedis?: boolean;
}

export function labNeeds(lab: Pick<Lab, 'nodes' | 'redis' | 'steps'>, options: Pick<CommandOptions, 'nodes' | 'redis'>): EnvironmentNeeds {
  // --nodes 1 is the default, so a lab's own `nodes:` wins; a larger --nodes wins over the lab's 1.
  return { nodes: Math.max(lab.nodes, options.nodes), redis: lab.redis || options.redis, stopsRedis: lab.steps.some((step) => step.kind === 'redis') };
}

export function describeNeeds(needs: EnvironmentNeeds): string {
  const nodes = needs.nodes === 1 ? '1 gateway node' : `${needs.nodes} gateway nodes`;
  return needs.redis ? `${nodes} and a Redis` : nodes;
}

export function fits(env: LabEnvironment, needs: EnvironmentNeeds): boolean {
  return (env.nodes?.length ?? 1) === needs.nodes && (!needs.redis || env.redis != null || env.runtime === 'external');
}

/**
 * One line saying why a lab that needs a Redis cannot run here, with the fix; null when it can (or
 * when LABKIT_REQUIRE_REDIS=1 says it must: then starting the environment fails loudly instead).
 * The containers runtime brings its own Redis; the local one needs redis-server.
 */
export async function redisSkipReason(needs: EnvironmentNeeds, runtime: CommandOptions['runtime'], env: NodeJS.ProcessEnv): Promise<string | null> {
  // An external gateway is one Admin API: how many nodes stand behind its proxy, and how they balance, is not ours to know.
  if (runtime === 'external' && needs.nodes > 1) return `needs ${needs.nodes} gateway nodes behind a per-connection balancer; run it with --runtime local or --runtime containers`;
  if (runtime === 'external' && needs.stopsRedis) return "stops and starts the environment's Redis, and an external gateway's Redis is not the kit's to stop; run it with --runtime local or --runtime containers";
  if (!needs.redis || runtime === 'external' || runtime === 'containers' || env[REQUIRE_REDIS_ENV] === '1') return null;
  if (redisServerAvailability().available) return null;
  // auto picks containers when Docker answers, and they run their own Redis.
  if (runtime === 'auto' && (await probeDocker({ env })).ok) return null;
  return `needs a Redis and redis-server is not installed: ${REDIS_INSTALL_HINT} (or start Docker: the containers runtime runs its own)`;
}

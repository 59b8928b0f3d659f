// A lab's `redis: stop|start` step: the outage and the recovery, done to the environment's own Redis.
// After a start it waits until every gateway node reaches Redis again (they reconnect by themselves,
// within about half a second), so the checks that follow see the recovered gateway, not the reconnect.

import { waitUntilNodesReachRedis } from '../redis/nodes-reconnected.js';
import type { EnvironmentStepSpec } from '../spec/types.js';
import type { EnvironmentStepResult } from './results.js';

/** What a step needs of the environment: its Redis to stop and start, and each node's Admin API. */
export interface StepTarget {
  adminUrl?: string;
  nodes?: readonly { adminUrl: string }[];
  /** null/absent: the environment has no Redis the kit runs (an external gateway's, or none). */
  redis?: { stop(): Promise<void>; start(): Promise<void> } | null;
}

export const NO_REDIS_TO_STOP =
  "this environment has no Redis the kit runs (an external gateway's Redis is not the kit's to stop): run the lab with --runtime local or --runtime containers";

/** Runs one step; `freshCounters` is true when the gateway's rate-limit counters are known to start from zero after it. */
export async function runEnvironmentStep(step: EnvironmentStepSpec, target: StepTarget): Promise<EnvironmentStepResult & { freshCounters: boolean }> {
  const started = performance.now();
  const done = (outcome: Partial<EnvironmentStepResult>, freshCounters = false) => ({
    step,
    name: step.name,
    passed: outcome.error === undefined,
    durationMs: Math.round(performance.now() - started),
    notes: outcome.notes ?? [],
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    freshCounters,
  });
  const redis = target.redis;
  if (!redis) return done({ error: NO_REDIS_TO_STOP });
  try {
    if (step.action === 'stop') {
      await redis.stop();
      return done({ notes: ["the environment's Redis was killed, as an outage would; its counters are gone"] });
    }
    await redis.start();
    const adminUrls = target.nodes && target.nodes.length > 0 ? target.nodes.map((node) => node.adminUrl) : target.adminUrl ? [target.adminUrl] : [];
    const reconnected = await waitUntilNodesReachRedis(adminUrls);
    if (reconnected.kind === 'unknown') {
      return done({ notes: ['Redis started again on the same port, empty; this gateway cannot say when its nodes reach it again'] });
    }
    const nodes = adminUrls.length === 1 ? 'the gateway reaches' : `all ${adminUrls.length} nodes reach`;
    return done({ notes: [`Redis started again on the same port, empty; ${nodes} it again (after ${reconnected.afterMs} ms): counters start from zero`] }, true);
  } catch (error) {
    return done({ error: (error as Error).message });
  }
}

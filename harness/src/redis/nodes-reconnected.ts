// After a Redis outage: wait until every gateway node counts in its Redis again. Each node reconnects on
// its own, in the background (within about half a second of Redis answering); until it has, a request
// there is proxied unlimited (fault_tolerant) or answered 500. Our gateway's counter reset touches every
// Redis a `policy: redis` instance counts in and answers 503 while one cannot be reached, so the first
// 204 from a node says it reaches its Redis again. The reset is no loss here: the Redis came back empty,
// and the nodes' local counters start from zero with it.

import { AdminApi, HttpRequestError, answerMessage } from '../http/index.js';
import { COUNTERS_PATH } from '../http/admin-api.js';
import { RedisStartError } from './redis-server.js';

const POLL_MS = 50;
export const RECONNECT_TIMEOUT_MS = 10_000;

export type NodesReconnected =
  | { kind: 'reconnected'; afterMs: number }
  /** The gateway has no counter reset (a real Kong): whether it reconnected cannot be told. */
  | { kind: 'unknown' };

/** Resolves once every node answers the counter reset with 204; throws RedisStartError naming the node that did not. */
export async function waitUntilNodesReachRedis(adminUrls: readonly string[], timeoutMs: number = RECONNECT_TIMEOUT_MS): Promise<NodesReconnected> {
  const started = performance.now();
  for (const adminUrl of adminUrls) {
    const api = new AdminApi(adminUrl);
    for (;;) {
      const answer = await clearCounters(api);
      if (answer.status === 204) break;
      if (answer.status === 404 || answer.status === 405) return { kind: 'unknown' };
      if (performance.now() - started > timeoutMs) {
        throw new RedisStartError(
          `the gateway node at ${adminUrl} did not reach its Redis again within ${timeoutMs / 1000} s of Redis starting (last answer: ${answer.text})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  return { kind: 'reconnected', afterMs: Math.round(performance.now() - started) };
}

/** The counter reset's raw answer: 503 (with the reason) is what "not yet" looks like, so it is not an error here. */
async function clearCounters(api: AdminApi): Promise<{ status: number; text: string }> {
  try {
    const answer = await api.call('DELETE', COUNTERS_PATH);
    return { status: answer.status, text: `${answer.status} ${answerMessage(answer.text())}`.trim() };
  } catch (error) {
    if (error instanceof HttpRequestError) return { status: 0, text: error.message };
    throw error;
  }
}

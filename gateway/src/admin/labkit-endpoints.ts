// Endpoints that Kong does not have, under the `/_labkit/` prefix so they can never be mistaken
// for Kong's API. The lab harness uses them to start every lab from fresh rate-limiting windows:
//   GET    /_labkit/rate-limiting/counters → 200 {"counters": <number of live local counters>}
//   DELETE /_labkit/rate-limiting/counters → 204, every local counter dropped, and in each Redis the
//          redis-policy instances count in, their keys (SCAN + DEL under Kong's `ratelimit:` prefix);
//          503 with the reason when a Redis cannot be reached (the local counters are dropped anyway)
// Counter keys hold consumer ids, IPs and header values, so only the count is ever shown.

import { AdminHttpError, methodNotAllowed } from './http.js';
import type { EndpointResult } from './entity-endpoints.js';
import { RedisUnavailable } from '../redis/connections.js';

export interface LocalCounters {
  clear(): void | Promise<void>;
  size(): number;
}

export const LABKIT_PREFIX = '_labkit';

/** Answers a `/_labkit/...` path (segments after the prefix), or undefined when there is no such endpoint. */
export async function handleLabkitRequest(method: string, segments: string[], counters: LocalCounters): Promise<EndpointResult | undefined> {
  if (segments.length !== 2 || segments[0] !== 'rate-limiting' || segments[1] !== 'counters') return undefined;
  if (method === 'GET') return { status: 200, body: { counters: counters.size() } };
  if (method === 'DELETE') {
    try {
      await counters.clear();
    } catch (error) {
      if (error instanceof RedisUnavailable) throw new AdminHttpError(503, { message: `rate-limiting counters not cleared: ${error.message}` });
      throw error;
    }
    return { status: 204, body: null };
  }
  throw methodNotAllowed();
}

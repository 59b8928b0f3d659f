// connect_timeout on a Node timer. undici times connects on its coarse timer wheel (ticks of about
// 0.5 s), so a 300 ms connect_timeout fired between 0.5 and 1 s; nginx's fires on time.

import type { Socket } from 'node:net';
import { buildConnector, errors } from 'undici';

/** undici's connector for `options`, its own timer off, bounded by a `timeoutMs` Node timer instead. */
export function connectorWithTimeout(
  options: buildConnector.BuildOptions,
  timeoutMs: number,
  build: typeof buildConnector = buildConnector,
): buildConnector.connector {
  const connect = build({ ...options, timeout: 0 });
  return (target, callback) => {
    let settled = false;
    // undici's connector returns the socket it opens (its type says void).
    let socket: Socket | undefined;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket?.destroy();
      callback(
        new errors.ConnectTimeoutError(`Connect Timeout Error (attempted address: ${target.hostname}:${target.port}, timeout: ${timeoutMs}ms)`),
        null,
      );
    }, timeoutMs);
    socket = connect(target, (...result) => {
      if (settled) {
        result[1]?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(...result);
    }) as unknown as Socket | undefined;
  };
}

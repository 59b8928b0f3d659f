// nginx's client_body_timeout: the longest pause between two reads of a request body. Node's
// requestTimeout bounds the whole request instead, so the pause is timed on the socket, whose idle
// timer Node's HTTP parser resets on every read.

import type { IncomingMessage } from 'node:http';

/** Calls `onTimeout` when the body of `req` pauses for `ms`; disarmed once the body has arrived. */
export function watchRequestBody(req: IncomingMessage, ms: number, onTimeout: () => void): void {
  if (req.complete) return;
  req.setTimeout(ms, onTimeout);
  req.once('end', () => {
    req.off('timeout', onTimeout);
    // A response finished before the body may already have set Node's keep-alive timer on the socket.
    const res = (req.socket as { _httpMessage?: { writableFinished?: boolean } | null })._httpMessage;
    if (res && !res.writableFinished) req.socket.setTimeout(0);
  });
}

// nginx's client_body_timeout: the longest pause between two reads of a request body. Node's
// requestTimeout bounds the whole request instead, so the pause is timed on the socket, whose idle
// timer Node's HTTP parser resets on every read.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Calls `onTimeout` when the body of `req` pauses for `ms`; disarmed once the body has arrived. */
export function watchRequestBody(req: IncomingMessage, res: ServerResponse, ms: number, onTimeout: () => void): void {
  if (req.complete) return;
  req.setTimeout(ms, onTimeout);
  // An answer sent before the body ended sets Node's keep-alive timer on the same socket; the body
  // Node then reads off the wire and discards is still bounded by this timeout.
  const rearm = () => {
    if (!req.complete) req.socket?.setTimeout(ms);
  };
  res.once('finish', rearm);
  req.once('end', () => {
    req.off('timeout', onTimeout);
    res.off('finish', rearm);
    if (!res.writableFinished) req.socket?.setTimeout(0);
  });
}

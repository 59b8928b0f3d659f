// Whether an upstream request went out on a keep-alive connection that carried an earlier one:
// nginx does not count a failure on such a cached connection as one of the tries. undici does not
// tell a request handler which socket it got, but publishes `undici:client:sendHeaders` with the
// socket synchronously right after calling the handler's onConnect, so the two are paired here.

import { subscribe } from 'node:diagnostics_channel';

export interface SocketAwareHandler {
  onSocketAssigned(reused: boolean): void;
}

const socketsThatCarriedARequest = new WeakSet<object>();
let awaitingSocket: SocketAwareHandler | null = null;

subscribe('undici:client:sendHeaders', (message) => {
  const { socket } = message as { socket: object };
  const reused = socketsThatCarriedARequest.has(socket);
  socketsThatCarriedARequest.add(socket);
  const handler = awaitingSocket;
  awaitingSocket = null;
  handler?.onSocketAssigned(reused);
});

/** Call from onConnect: the headers about to be written go out on the socket reported to `handler`. */
export function expectSocketFor(handler: SocketAwareHandler): void {
  awaitingSocket = handler;
}

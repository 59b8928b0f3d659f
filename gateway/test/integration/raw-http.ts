// Raw HTTP/1.1 exchanges over one TCP connection: what a well-behaved client library cannot send.

import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  text: string;
  /** The server closed the connection within the wait. */
  closed: boolean;
}

/** Writes `text` as is and resolves with everything the server sent until it closed (or `waitMs` passed). */
export function rawExchange(port: number, text: string, waitMs = 2_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => done(true));
    socket.on('error', reject);
  });
}

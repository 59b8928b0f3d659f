// The server's half of a detached child's start-up handshake: one JSON line on stdout once it listens
// ({"event":"listening","url":…,"port":…}), one on stderr when it cannot start ({"event":"fatal",…},
// exit 1). SIGTERM or SIGINT closes it, then the process exits 0.

export interface DetachedServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function serveDetached(start: () => Promise<DetachedServer>): Promise<void> {
  try {
    const server = await start();
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, port: server.port })}\n`);
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ event: 'fatal', message: (err as Error).message })}\n`);
    process.exit(1);
  }
}

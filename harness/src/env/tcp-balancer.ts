// The stand-in for a Kubernetes Service in front of several gateway nodes: a TCP balancer that
// hands each new connection to the next node in turn and then only copies bytes. Balancing per
// connection (not per request) is what makes the workshop's "each curl is a new connection"
// behaviour show: keep-alive requests stay on their node, as they would behind a Service.

import { createServer, connect, type Server, type Socket } from 'node:net';

export interface BalancerBackend {
  host: string;
  port: number;
}

export interface TcpBalancer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /** How many connections each backend was handed so far, in backend order. */
  connectionsPerBackend(): number[];
  /**
   * The nodes new connections go to from now on (a scaled data plane); connections already open stay where
   * they are, as on a Service whose endpoints change. The count per backend starts again at zero.
   */
  setBackends(backends: readonly BalancerBackend[]): void;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

export interface TcpBalancerOptions {
  backends: readonly BalancerBackend[];
  host?: string;
  /** Default: a free port. */
  port?: number;
}

export async function startTcpBalancer(options: TcpBalancerOptions): Promise<TcpBalancer> {
  if (options.backends.length === 0) throw new Error('a TCP balancer needs at least one backend');
  let backends = [...options.backends];
  let handed = backends.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server: Server = createServer((client) => {
    track(client);
    const index = next;
    next = (next + 1) % backends.length;
    handed[index]++;
    const backend = connect({ host: backends[index].host, port: backends[index].port });
    track(backend);
    backend.setNoDelay(true);
    client.setNoDelay(true);
    // A node that refuses or drops the connection resets the client's, as a Service endpoint that is gone does.
    backend.once('error', () => client.resetAndDestroy());
    client.once('error', () => backend.destroy());
    client.pipe(backend);
    backend.pipe(client);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;

  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    connectionsPerBackend: () => [...handed],
    setBackends(replacement) {
      if (replacement.length === 0) throw new Error('a TCP balancer needs at least one backend');
      backends = [...replacement];
      handed = backends.map(() => 0);
      next = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

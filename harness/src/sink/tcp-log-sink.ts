// A TCP sink for tcp-log: keeps every line it receives, parsed as JSON, so tests and lab checks can
// ask which line a request produced (by its X-Kong-Request-Id) without timing guesses.

import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { send } from '../http/index.js';

export interface LoggedLine {
  /** The line as received, without its newline. */
  raw: string;
  /** The line parsed as JSON (null when it was not JSON). */
  json: Record<string, any> | null;
}

/** What a lab check needs of a sink: the line a request produced. Works in-process or over HTTP (readUrl). */
export interface TcpLogReader {
  /** The line whose request.id is `requestId`, once it arrives; rejects after `timeoutMs`. */
  lineFor(requestId: string, timeoutMs?: number): Promise<LoggedLine>;
  /** http://127.0.0.1:port: `GET /lines/<request id>?wait_ms=N` answers the line (200) or 404, for other processes. */
  readonly readUrl: string;
}

export interface TcpLogSink extends TcpLogReader {
  readonly host: string;
  readonly port: number;
  lines(): readonly LoggedLine[];
  /** Lines received so far, including those no longer kept (see `retain`). */
  received(): number;
  /** Connections accepted so far (keepalive reuse shows as fewer connections than lines). */
  connections(): number;
  /** Connections open now (an idle keepalive connection counts until the gateway closes it). */
  openConnections(): number;
  clear(): void;
  close(): Promise<void>;
}

export interface TcpLogSinkOptions {
  host?: string;
  port?: number;
  /** Keep only the last this many lines (a sink under load would otherwise grow without bound). Default: all. */
  retain?: number;
}

export async function startTcpLogSink(options: TcpLogSinkOptions = {}): Promise<TcpLogSink> {
  const host = options.host ?? '127.0.0.1';
  const retain = options.retain ?? Number.POSITIVE_INFINITY;
  const received: LoggedLine[] = [];
  let receivedCount = 0;
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let accepted = 0;

  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const raw = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        let json: Record<string, any> | null = null;
        try {
          json = JSON.parse(raw) as Record<string, any>;
        } catch {
          json = null;
        }
        received.push({ raw, json });
        receivedCount++;
        if (received.length > retain) received.splice(0, received.length - retain);
      }
      for (const wake of waiters) wake();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const find = (requestId: string) => received.find((line) => line.json?.request?.id === requestId);

  const lineFor = (requestId: string, timeoutMs = 5000): Promise<LoggedLine> => {
    const found = find(requestId);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const line = find(requestId);
        if (!line) return;
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(line);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`no tcp-log line for request ${requestId} within ${timeoutMs} ms (${received.length} lines received)`));
      }, timeoutMs);
      waiters.add(wake);
    });
  };

  // The read side for checks running in another process (vitest workers, with the sink in globalSetup).
  const reader: HttpServer = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const match = /^\/lines\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      res.writeHead(404).end();
      return;
    }
    const waitMs = Math.min(Number(url.searchParams.get('wait_ms') ?? 0) || 0, 30_000);
    lineFor(decodeURIComponent(match[1]), waitMs).then(
      (line) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(line)),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    reader.once('error', reject);
    reader.listen(0, '127.0.0.1', () => resolve());
  });
  const readUrl = `http://127.0.0.1:${(reader.address() as { port: number }).port}`;

  return {
    host,
    port,
    readUrl,
    lines: () => received,
    received: () => receivedCount,
    connections: () => accepted,
    openConnections: () => sockets.size,
    lineFor,
    clear: () => {
      received.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      reader.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => reader.close(() => resolve())),
      ]);
    },
  };
}

/** A reader for a sink running in another process, through its readUrl. */
export function httpTcpLogReader(readUrl: string): TcpLogReader {
  return {
    readUrl,
    async lineFor(requestId, timeoutMs = 5000) {
      // The sink holds the request until the line arrives or wait_ms passes: the total bound leaves it that long.
      const response = await send(`${readUrl}/lines/${encodeURIComponent(requestId)}?wait_ms=${timeoutMs}`, { target: 'the tcp-log sink', timeouts: { totalMs: timeoutMs + 5_000 } });
      if (response.status !== 200) throw new Error(`no tcp-log line for request ${requestId} within ${timeoutMs} ms`);
      return JSON.parse(response.text()) as LoggedLine;
    },
  };
}

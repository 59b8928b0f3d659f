// tcp-log's transport: one JSON line per message to host:port, after the response (Kong sends from a
// timer). Connections are kept for `keepalive` ms and reused (Kong's setkeepalive pool). A sink that
// is down, slow or refusing only costs a line in the error log: nothing here is awaited by a request,
// every socket has a timeout, and at most MAX_PENDING messages wait, so memory stays bounded.
// Lines for a sink are coalesced for FLUSH_DELAY_MS (or until FLUSH_BYTES wait), as Kong's batch
// queue coalesces entries, and go out as one write on one connection: the sink reads the same bytes,
// one line per request, and a busy gateway pays a write (and its timers) per batch, not per request.

import { connect, type Socket } from 'node:net';
import { resolveAddress, type AddressSettings } from '../../net/resolve-address.js';

/** Messages waiting for a connection or a write, across all sinks; more are dropped (and said so). */
const MAX_PENDING = 1000;
/** Kong's cosocket pool default size per destination. */
const MAX_IDLE_PER_SINK = 30;
/** How long a line waits for others to share its write. */
export const FLUSH_DELAY_MS = 10;
/** A sink's batch this large goes out at once. */
const FLUSH_BYTES = 64 * 1024;

export interface TcpLogTarget {
  host: string;
  port: number;
  /** Connect and send timeout, ms. */
  timeout: number;
  /** How long an idle connection is kept, ms (0: no limit, as OpenResty's setkeepalive(0)). */
  keepalive: number;
}

/** Lines waiting for one sink: the text of the write, and how many lines it holds. */
interface Batch {
  text: string;
  lines: number;
}

interface IdleSocket {
  socket: Socket;
  timer: NodeJS.Timeout;
  onClose: () => void;
}

export type LogFailure = (message: string) => void;

const writeErrorLog: LogFailure = (message) => process.stderr.write(`${JSON.stringify({ event: 'error', plugin: 'tcp-log', error: message })}\n`);

export class TcpLogSender {
  readonly #idle = new Map<string, IdleSocket[]>();
  readonly #busy = new Set<Socket>();
  /** Lines waiting for the next flush, by the plugin configuration that sends them (its sink, timeout and keepalive). */
  readonly #queued = new Map<TcpLogTarget, Batch>();
  #flushTimer: NodeJS.Timeout | null = null;
  #pending = 0;
  #closed = false;

  constructor(
    readonly destinations: AddressSettings,
    readonly onFailure: LogFailure = writeErrorLog,
  ) {}

  /** Queues one line; returns at once. */
  send(target: TcpLogTarget, line: string): void {
    if (this.#closed) return;
    if (this.#pending >= MAX_PENDING) {
      this.onFailure(`dropped a log message for ${target.host}:${target.port}: ${MAX_PENDING} messages are already waiting`);
      return;
    }
    this.#pending++;
    const batch = this.#queued.get(target);
    if (batch === undefined) this.#queued.set(target, { text: line, lines: 1 });
    else {
      batch.text += line;
      batch.lines++;
      if (batch.text.length >= FLUSH_BYTES) {
        this.#queued.delete(target);
        this.#deliver(target, batch);
      }
    }
    if (this.#flushTimer === null && this.#queued.size > 0) {
      // Unreferenced: lines still waiting when the gateway stops are dropped, as documented.
      this.#flushTimer = setTimeout(this.#flush, FLUSH_DELAY_MS).unref();
    }
  }

  readonly #flush = (): void => {
    this.#flushTimer = null;
    for (const [target, batch] of this.#queued) this.#deliver(target, batch);
    this.#queued.clear();
  };

  #deliver(target: TcpLogTarget, batch: Batch): void {
    const lines = batch.lines;
    const where = `${target.host}:${target.port}`;
    const socket = this.#takeIdle(where) ?? this.#open(target, where);
    if (socket === null) {
      this.#pending -= lines;
      return;
    }
    this.#busy.add(socket);
    socket.setTimeout(target.timeout);
    socket.write(batch.text, (err) => {
      this.#pending -= lines;
      this.#busy.delete(socket);
      if (err) {
        socket.destroy();
        return;
      }
      this.#keep(where, socket, target.keepalive);
    });
  }

  #open(target: TcpLogTarget, where: string): Socket | null {
    if (this.#closed) return null;
    const address = resolveAddress(this.destinations, target.host, target.port);
    const socket = connect({ host: address.host, port: address.port });
    socket.setNoDelay(true);
    socket.once('timeout', () => socket.destroy(new Error('timeout')));
    let failed = false;
    socket.on('error', (err) => {
      // One line per failed message: the write callback's error repeats this one.
      if (!failed) this.onFailure(`failed to send data to ${where}: ${err.message}`);
      failed = true;
    });
    // The sink never answers; whatever it sends is read and ignored so the socket does not stall.
    socket.on('data', noop);
    return socket;
  }

  #takeIdle(where: string): Socket | null {
    const idle = this.#idle.get(where);
    while (idle !== undefined && idle.length > 0) {
      const { socket, timer, onClose } = idle.pop()!;
      clearTimeout(timer);
      socket.off('close', onClose);
      if (!socket.destroyed && socket.writable) {
        socket.ref();
        return socket;
      }
    }
    return null;
  }

  #keep(where: string, socket: Socket, keepaliveMs: number): void {
    let idle = this.#idle.get(where);
    if (idle === undefined) this.#idle.set(where, (idle = []));
    if (this.#closed || idle.length >= MAX_IDLE_PER_SINK) {
      socket.end();
      return;
    }
    socket.setTimeout(0);
    const entry: IdleSocket = {
      socket,
      // OpenResty's setkeepalive(0): kept with no idle limit.
      timer: setTimeout(() => socket.end(), keepaliveMs > 0 ? keepaliveMs : 2 ** 31 - 1),
      onClose: () => {
        clearTimeout(entry.timer);
        const at = idle.indexOf(entry);
        if (at !== -1) idle.splice(at, 1);
      },
    };
    entry.timer.unref();
    socket.unref();
    socket.once('close', entry.onClose);
    idle.push(entry);
  }

  /** Idle connections kept now, for every sink (tests and status). */
  idleConnections(): number {
    let count = 0;
    for (const idle of this.#idle.values()) count += idle.length;
    return count;
  }

  /** Closes every connection; later messages are dropped. */
  close(): void {
    this.#closed = true;
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#queued.clear();
    for (const idle of this.#idle.values()) {
      for (const { socket, timer } of idle) {
        clearTimeout(timer);
        socket.destroy();
      }
    }
    this.#idle.clear();
    for (const socket of this.#busy) socket.destroy();
    this.#busy.clear();
  }
}

function noop(): void {}

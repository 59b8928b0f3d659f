// Debian's redis-server as a child process on a free loopback port, with no persistence (nothing is
// written to disk, so nothing is left behind), stopped on every exit path: close(), the parent's
// exit (execa's cleanup) and the parent being SIGKILLed (setpriv's parent-death signal).
// stop()/start() kill it and bring it back on the same port, for tests and demos of a Redis outage.

import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createInterface } from 'node:readline';
import type { ResultPromise } from 'execa';
import { freePort } from '../process/free-port.js';
import { stopChild, watchExit } from '../process/stop-child.js';
import { LabkitError } from '../errors/labkit-error.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
const SETPRIV = '/usr/bin/setpriv';
export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS)';

const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 25;
const STOP_BOUND_MS = 5_000;
const OUTPUT_TAIL_LINES = 20;
const PORT_ATTEMPTS = 3;

export class RedisStartError extends LabkitError {
  override name = 'RedisStartError';
  constructor(message: string) {
    super('REDIS_START_FAILED', { problem: message });
  }
}

export type RedisServerAvailability = { available: true; path: string } | { available: false; reason: string };

/** Whether Debian's redis-server is installed here. */
export function redisServerAvailability(): RedisServerAvailability {
  if (existsSync(REDIS_SERVER)) return { available: true, path: REDIS_SERVER };
  return { available: false, reason: `${REDIS_SERVER} not found (install: ${REDIS_INSTALL_HINT})` };
}

export interface RedisServerOptions {
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** Sets `requirepass`, so clients must AUTH. */
  password?: string;
  /** Serve TLS only (no plain port), with this certificate; clients are not asked for one. */
  tls?: { certFile: string; keyFile: string };
}

export interface RunningRedis {
  host: string;
  port: number;
  /** Whether the server is running now (false between stop() and start()). */
  readonly running: boolean;
  /** Its process id while it runs (the bench pins it to a CPU), else null. */
  readonly pid: number | null;
  /** Kills the server at once (SIGKILL: an outage, not a shutdown). Its data is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedis> {
  const availability = redisServerAvailability();
  if (!availability.available) throw new RedisStartError(`redis-server is not available: ${availability.reason}`);
  const host = options.host ?? '127.0.0.1';
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    try {
      const server = await launch(host, port, options);
      return handle(host, port, options, server);
    } catch (err) {
      const retry = err instanceof PortInUse && options.port === undefined && attempt < PORT_ATTEMPTS;
      if (!retry) throw err;
    }
  }
}

class PortInUse extends RedisStartError {}

interface RedisProcess {
  readonly pid: number | null;
  readonly exited: boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function handle(host: string, port: number, options: RedisServerOptions, first: RedisProcess): RunningRedis {
  let current: RedisProcess | null = first;
  let closed = false;
  return {
    host,
    port,
    get running() {
      return current !== null && !current.exited;
    },
    get pid() {
      return current !== null && !current.exited ? current.pid : null;
    },
    async stop() {
      const stopping = current;
      current = null;
      await stopping?.kill('SIGKILL');
    },
    async start() {
      if (closed) throw new RedisStartError('this redis-server was closed; start a new one');
      if (current !== null && !current.exited) return;
      current = await launch(host, port, options);
    },
    async close() {
      closed = true;
      const stopping = current;
      current = null;
      // SIGTERM: with no persistence configured, redis-server exits at once without writing anything.
      await stopping?.kill('SIGTERM');
    },
  };
}

/** redis-server's command line: everything on it, no config file: no RDB snapshots, no AOF, loopback only. */
export function redisServerArgs(host: string, port: number, options: Pick<RedisServerOptions, 'password' | 'tls'> = {}): string[] {
  const { password, tls } = options;
  const redisArgs = ['--bind', host, '--save', '', '--appendonly', 'no', '--dir', '/tmp', '--daemonize', 'no', '--loglevel', 'warning'];
  if (tls === undefined) redisArgs.push('--port', String(port));
  else redisArgs.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-auth-clients', 'no');
  if (password !== undefined) redisArgs.push('--requirepass', password);
  return redisArgs;
}

async function launch(host: string, port: number, options: RedisServerOptions): Promise<RedisProcess> {
  const { password, tls } = options;
  const redisArgs = redisServerArgs(host, port, options);
  const [command, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', REDIS_SERVER, ...redisArgs]]
    : [REDIS_SERVER, redisArgs];
  // Loaded when a Redis starts: status and reset import this module, and execa is a large one.
  const { execa } = await import('execa');
  const child: ResultPromise = execa(command, args, {
    cwd: '/',
    cleanup: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > OUTPUT_TAIL_LINES) output.shift();
    });
  }
  const watch = watchExit(child);
  void child.then(() => undefined);

  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (!watch.exited) await stopChild(child, watch.exit, signal, STOP_BOUND_MS);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (watch.exited) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the last output lines arrive
      const tail = output.join('\n');
      const message = `redis-server exited before answering on ${host}:${port}.\n--- redis-server output (last lines) ---\n${tail}`;
      if (/Address already in use/.test(tail)) throw new PortInUse(message);
      throw new RedisStartError(message);
    }
    if (await answersPing(host, port, password, tls !== undefined)) break;
    if (Date.now() > deadline) {
      await kill('SIGKILL');
      throw new RedisStartError(
        `redis-server did not answer PING on ${host}:${port} within ${READY_TIMEOUT_MS / 1000} s and was stopped. ` +
          `The machine may be overloaded; try again.\n--- redis-server output (last lines) ---\n${output.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  return {
    // setpriv execs redis-server, so the pid is redis-server's own.
    pid: child.pid ?? null,
    get exited() {
      return watch.exited;
    },
    kill,
  };
}

/** One RESP round trip (AUTH first when a password is set): only a Redis answers +PONG. */
export function answersPing(host: string, port: number, password: string | undefined, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    // Our own server's certificate: readiness is the question here, not trust.
    const socket = tls ? tlsConnect({ host, port, rejectUnauthorized: false }) : connect({ host, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    // A port that accepts and then closes without a word (Docker's proxy in front of a container where nothing listens yet).
    socket.once('close', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG\r\n')) done(true);
      else if (reply.startsWith('-')) done(false);
    });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      const auth = password === undefined ? '' : `*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(password)}\r\n${password}\r\n`;
      socket.write(`${auth}*1\r\n$4\r\nPING\r\n`);
    });
  });
}

// Runs our gateway (gateway/src/main.ts) as a child process and learns its addresses from the one
// `{"event":"listening",…}` line it prints, so it can listen on free ports (port 0).

import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { EnvironmentStartError } from './errors.js';
import { stopChild } from '../process/stop-child.js';
import { GATEWAY_MAIN, REPO_ROOT } from '../constants.js';


const DEFAULT_START_TIMEOUT_MS = 30_000;
/** How long SIGTERM may take (the gateway drains in-flight requests) before SIGKILL. */
const STOP_BOUND_MS = 5_000;
const STDERR_TAIL_LINES = 30;

export interface GatewayProcess {
  readonly pid: number;
  readonly proxyUrl: string;
  readonly adminUrl: string;
  /** The last lines of stderr, for diagnostics. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after a bound. Idempotent; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  /** KONG_* variables on top of the inherited environment. */
  env: Record<string, string>;
  startTimeoutMs?: number;
}

interface ListeningEvent {
  event: 'listening';
  proxy_listen: string;
  admin_listen: string;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function listenToUrl(listen: string): string {
  const match = /^(?:\[([^\]]+)\]|(.*)):(\d+)$/.exec(listen);
  if (!match) throw new Error(`unexpected listen address ${JSON.stringify(listen)}`);
  let host = match[1] ?? match[2];
  // A wildcard listener is reached through loopback.
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${match[3]}`;
}

function parseListening(line: string): ListeningEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(line) as Partial<ListeningEvent>;
    if (parsed.event === 'listening' && typeof parsed.proxy_listen === 'string' && typeof parsed.admin_listen === 'string') {
      return parsed as ListeningEvent;
    }
  } catch {
    // Not JSON: some other output.
  }
  return null;
}

/** The gateway reports fatal start-up problems as `{"event":"fatal","message":…}` on stderr. */
function fatalMessage(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    try {
      const parsed = JSON.parse(lines[i]) as { event?: string; message?: string };
      if (parsed.event === 'fatal' && typeof parsed.message === 'string') return parsed.message;
    } catch {
      // Not a JSON line.
    }
  }
  return null;
}

function describeExit(exit: Exit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const stderrLines: string[] = [];
  const stderrTail = () => stderrLines.join('\n');

  const child: ResultPromise = execa(process.execPath, ['--import', 'tsx', GATEWAY_MAIN], {
    cwd: REPO_ROOT,
    env: options.env,
    cleanup: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  // With reject:false the promise never rejects; it only settles once the process is gone.
  const exited: Promise<Exit> = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  void child.then(() => undefined);

  const stderrReader = createInterface({ input: child.stderr! });
  const stderrDone = new Promise<void>((resolve) => stderrReader.once('close', resolve));
  stderrReader.on('line', (line) => {
    stderrLines.push(line);
    if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await stopChild(child, exited, 'SIGTERM', STOP_BOUND_MS);
    })();
    return stopping;
  };

  // Every stdout line after `listening` is an access-log line: read and drop them so the pipe never fills.
  const listening = new Promise<ListeningEvent>((resolve) => {
    let found = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (found) return;
      const event = parseListening(line);
      if (event) {
        found = true;
        resolve(event);
      }
    });
  });

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening.then((event) => ({ kind: 'listening' as const, event })),
    exited.then((exit) => ({ kind: 'exited' as const, exit })),
    new Promise<{ kind: 'timeout' }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);

  if (outcome.kind === 'exited') {
    // Let the last stderr lines arrive before quoting them.
    await Promise.race([stderrDone, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    const fatal = fatalMessage(stderrLines);
    throw new EnvironmentStartError(
      `the gateway ${describeExit(outcome.exit)} before it was listening${fatal ? `: ${fatal}` : ''}. ` +
        'Check the KONG_* settings it names, or run `npm run gateway` to see the failure directly.',
      stderrTail(),
    );
  }
  if (outcome.kind === 'timeout') {
    await stop();
    throw new EnvironmentStartError(
      `the gateway printed no "listening" line within ${Math.round(timeoutMs / 1000)} s and was stopped. ` +
        'The machine may be overloaded, or gateway/src/main.ts is stuck; run `npm run gateway` to watch it start.',
      stderrTail(),
    );
  }

  try {
    return {
      pid: child.pid!,
      proxyUrl: listenToUrl(outcome.event.proxy_listen),
      adminUrl: listenToUrl(outcome.event.admin_listen),
      stderrTail,
      stop,
    };
  } catch (err) {
    await stop();
    throw new EnvironmentStartError(`the gateway's "listening" line is not usable: ${(err as Error).message}`, stderrTail());
  }
}

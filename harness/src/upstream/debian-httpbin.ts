// Debian's real httpbin (python3-httpbin 0.7.0) under Debian's gunicorn with the gevent worker,
// started on a free loopback port and stopped together with its worker processes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { execa, execaSync, type ResultPromise } from 'execa';
import { HttpWaitError, waitForHttp } from '../http/index.js';
import { UpstreamStartError, type RunningUpstream } from './running-upstream.js';
import { stopChild, watchExit } from '../process/stop-child.js';
import { freePort } from '../process/free-port.js';

export { freePort };

// Debian's own binaries: the python3 on PATH may be a pyenv build that cannot import Debian's packages.
const GUNICORN = '/usr/bin/gunicorn';
const PYTHON = '/usr/bin/python3';
// util-linux's setpriv (Essential in Debian) sets a parent-death signal and then execs gunicorn, so
// gunicorn stops even when our process is SIGKILLed and execa's exit cleanup never runs.
const SETPRIV = '/usr/bin/setpriv';
export const DEBIAN_HTTPBIN_INSTALL_HINT = 'apt-get install -y python3-httpbin gunicorn python3-gevent';

const READY_TIMEOUT_MS = 15_000;
/** How long the quick shutdown (SIGINT) may take before SIGKILL. */
const STOP_BOUND_MS = 5_000;
const STDERR_TAIL_LINES = 30;
const PORT_ATTEMPTS = 3;

export type DebianHttpbinAvailability = { available: true; gunicorn: string } | { available: false; reason: string };

let cachedAvailability: DebianHttpbinAvailability | undefined;

/** Whether Debian's httpbin can run here; checked once per process. */
export function debianHttpbinAvailability(): DebianHttpbinAvailability {
  cachedAvailability ??= checkAvailability();
  return cachedAvailability;
}

function checkAvailability(): DebianHttpbinAvailability {
  if (!existsSync(GUNICORN)) {
    return { available: false, reason: `${GUNICORN} not found (install: ${DEBIAN_HTTPBIN_INSTALL_HINT})` };
  }
  if (!existsSync(PYTHON)) {
    return { available: false, reason: `${PYTHON} not found (install: ${DEBIAN_HTTPBIN_INSTALL_HINT})` };
  }
  const probe = execaSync(PYTHON, ['-c', 'import httpbin, gevent'], {
    reject: false,
    cwd: '/',
    env: pythonEnv(),
    extendEnv: false,
    timeout: 15_000,
  });
  if (probe.exitCode !== 0) {
    const detail = String(probe.stderr ?? '').trim().split('\n').pop() || probe.shortMessage;
    return {
      available: false,
      reason: `${PYTHON} cannot import httpbin and gevent (${detail}); install: ${DEBIAN_HTTPBIN_INSTALL_HINT}`,
    };
  }
  return { available: true, gunicorn: GUNICORN };
}

// pyenv and virtualenv variables would point Debian's python3 at the wrong site-packages.
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PYTHON(PATH|HOME|STARTUP|USERBASE)|VIRTUAL_ENV|PYENV.*)$/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export async function startDebianHttpbin(options: { host?: string; port?: number } = {}): Promise<RunningUpstream> {
  const availability = debianHttpbinAvailability();
  if (!availability.available) {
    throw new UpstreamStartError(`Debian httpbin is not available: ${availability.reason}`);
  }
  const host = options.host ?? '127.0.0.1';
  // A free port can be taken between our probe and gunicorn's bind; then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    try {
      return await launch(host, port);
    } catch (err) {
      const retry = err instanceof PortInUse && options.port === undefined && attempt < PORT_ATTEMPTS;
      if (!retry) throw err;
    }
  }
}

class PortInUse extends UpstreamStartError {}

async function launch(host: string, port: number): Promise<RunningUpstream> {
  const bind = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  // No --access-logfile: gunicorn then writes no access log. --graceful-timeout bounds a SIGTERM
  // stop (the parent-exit cleanup sends one) when a /delay request is still running.
  const gunicornArgs = ['-b', bind, '-k', 'gevent', '--workers', '1', '--log-level', 'warning', '--graceful-timeout', '2', '--chdir', '/', 'httpbin:app'];
  const [command, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'INT', '--', GUNICORN, ...gunicornArgs]]
    : [GUNICORN, gunicornArgs];
  const child: ResultPromise = execa(
    command,
    args,
    {
      cwd: '/',
      env: pythonEnv(),
      extendEnv: false,
      cleanup: true,
      detached: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
    },
  );
  const stderrLines: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrLines.push(line);
    if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
  });
  const watch = watchExit(child);
  void child.then(() => undefined);

  const masterPid = child.pid;
  let workerPids: number[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Workers may have started since we last looked; they must not outlive the master.
      workerPids = [...new Set([...workerPids, ...(masterPid ? childPids(masterPid) : [])])];
      // gunicorn's SIGINT: quick shutdown, no waiting for in-flight requests.
      if (!watch.exited) await stopChild(child, watch.exit, 'SIGINT', STOP_BOUND_MS);
      for (const pid of workerPids) killIfAlive(pid, bind);
    })();
    return closing;
  };

  const url = `http://${bind}`;
  const stderrTail = () => stderrLines.join('\n');
  try {
    await waitForGunicorn(url, { timeoutMs: READY_TIMEOUT_MS, gaveUp: () => (watch.exited ? 'gunicorn exited' : undefined) });
  } catch (error) {
    if (!(error instanceof HttpWaitError)) throw error;
    if (watch.exited) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the last stderr lines arrive
      const tail = stderrTail();
      const message =
        `gunicorn (Debian httpbin) exited before answering on ${url}. ` +
        `Check that ${GUNICORN} -k gevent httpbin:app runs by hand.\n--- gunicorn stderr (last lines) ---\n${tail}`;
      if (/Connection in use|Address already in use/.test(tail)) throw new PortInUse(message);
      throw new UpstreamStartError(message);
    }
    await close();
    throw new UpstreamStartError(
      `gunicorn (Debian httpbin) did not answer GET ${url}/get with 200 within ${READY_TIMEOUT_MS / 1000} s and was stopped (last: ${error.lastProblem}). ` +
        `The machine may be overloaded; try again, or run ${GUNICORN} -k gevent httpbin:app by hand.\n` +
        `--- gunicorn stderr (last lines) ---\n${stderrTail()}`,
    );
  }
  if (masterPid) workerPids = childPids(masterPid);
  return { kind: 'debian-httpbin', url, host, port, close };
}

/**
 * Waits until gunicorn answers `GET <url>/get` with 200. Only gunicorn's own answer counts: another server
 * already on the port must not pass for it. Throws HttpWaitError.
 */
export async function waitForGunicorn(url: string, options: { timeoutMs: number; gaveUp?: () => string | undefined }): Promise<void> {
  await waitForHttp(`${url}/get`, {
    target: 'gunicorn (Debian httpbin)',
    timeoutMs: options.timeoutMs,
    intervalMs: 50,
    attemptTimeoutMs: 2_000,
    gaveUp: options.gaveUp,
    ready: (answer) => (answer.status !== 200 ? `HTTP ${answer.status}` : answer.header('server') !== 'gunicorn' ? `a server other than gunicorn answered (${answer.header('server') ?? 'no Server header'})` : true),
  });
}


/** PIDs whose parent is `pid` (gunicorn's workers), read from /proc. */
function childPids(pid: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** SIGKILLs a worker of ours that outlived its master; a PID reused by any other process is left alone. */
function killIfAlive(pid: number, bind: string): void {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!argv.some((arg) => arg.endsWith('gunicorn')) || !argv.includes(bind)) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: the normal case after a clean gunicorn shutdown.
  }
}

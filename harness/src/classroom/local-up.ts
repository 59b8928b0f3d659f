// `npm run up` on the local runtime: httpbin and our gateway as detached processes that outlive the
// command (unlike startLocalEnvironment, whose children end with it), recorded by pid.

import { performance } from 'node:perf_hooks';
import { ADMIN_READY_MS, HttpWaitError, waitForAdminApi } from '../http/index.js';
import { registerCleanup } from '../env/cleanup.js';
import type { UpstreamChoice } from '../env/types.js';
import { debianHttpbinAvailability } from '../upstream/index.js';
import { freePort, waitForGunicorn } from '../upstream/debian-httpbin.js';
import { ClassroomStartError } from './errors.js';
import { jsonEvent, logTail, waitForLogLine } from './log-file.js';
import { BALANCER_MAIN, EMBEDDED_HTTPBIN_MAIN, GATEWAY_MAIN, REPO_ROOT, shownPath, type LogName, type StatePaths } from './paths.js';
import { REDIS_INSTALL_HINT, redisServerAvailability } from '../redis/redis-server.js';
import { LOOPBACK, WORKSHOP_REDIS, WORKSHOP_UPSTREAM } from '../constants.js';
import { spawnDetachedRedis } from './redis.js';
import { spawnDetached, stopRecordedProcess, type DetachedProcess, type RecordedProcess } from './processes.js';
import type { EnvironmentRecord } from './state.js';

const HOST = LOOPBACK;
const HTTPBIN_READY_MS = 15_000;
const GATEWAY_LISTENING_MS = 30_000;
const PORT_ATTEMPTS = 3;
/** gunicorn's app, in its command line whether or not setproctitle renames the workers. */
const GUNICORN_MARKER = 'httpbin:app';

export interface LocalUpOptions {
  upstream: UpstreamChoice;
  /** Gateway nodes (default 1); more than one go behind a per-connection balancer on proxyPort. */
  nodes?: number;
  /** Start the Redis now (otherwise it starts on demand, when a `policy: redis` declaration is synced). */
  redis?: boolean;
  /** 0 = any free port (up checks a fixed one first: see classroom/ports.ts). */
  proxyPort: number;
  adminPort: number;
  paths: StatePaths;
  onProgress: (message: string) => void;
  /** Said at start-up, repeated by status (a taken port that --any-port replaced). */
  notes?: string[];
}

interface StartedHttpbin {
  process: DetachedProcess;
  kind: 'debian-httpbin' | 'embedded-httpbin';
  url: string;
  port: number;
}

// pyenv and virtualenv variables would point Debian's python3 at the wrong site-packages.
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PYTHON(PATH|HOME|STARTUP|USERBASE)|VIRTUAL_ENV|PYENV.*)$/.test(k)) env[k] = v;
  }
  return env;
}

async function startDebianHttpbin(gunicorn: string, paths: StatePaths): Promise<StartedHttpbin> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort(HOST);
    const bind = `${HOST}:${port}`;
    const started = spawnDetached({
      role: 'httpbin',
      command: gunicorn,
      // No access log; --graceful-timeout bounds a stop while a /delay request still runs.
      args: ['-b', bind, '-k', 'gevent', '--workers', '1', '--log-level', 'warning', '--graceful-timeout', '2', '--chdir', '/', GUNICORN_MARKER],
      marker: GUNICORN_MARKER,
      log: paths.log('httpbin'),
      stopSignal: 'SIGINT', // gunicorn's quick shutdown
      cwd: '/',
      env: pythonEnv(),
    });
    let exited = false;
    void started.exited.then(() => {
      exited = true;
    });
    const url = `http://${bind}`;
    const ready = await waitForGunicorn(url, { timeoutMs: HTTPBIN_READY_MS, gaveUp: () => (exited ? 'gunicorn exited' : undefined) }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof HttpWaitError) return false;
        throw error;
      },
    );
    if (ready) return { process: started, kind: 'debian-httpbin', url, port };
    await stopRecordedProcess(started.recorded);
    const tail = logTail(paths.log('httpbin'));
    // A free port can be taken between our probe and gunicorn's bind: then try another one.
    if (exited && /Connection in use|Address already in use/.test(tail) && attempt < PORT_ATTEMPTS) continue;
    throw new ClassroomStartError(
      exited
        ? `gunicorn (Debian httpbin) exited before answering on ${url}. Check that ${gunicorn} -k gevent httpbin:app runs by hand, or use --upstream embedded-httpbin.`
        : `gunicorn (Debian httpbin) did not answer GET ${url}/get within ${HTTPBIN_READY_MS / 1000} s and was stopped. The machine may be overloaded; try again.`,
      tail,
      shownPath(paths.log('httpbin')),
    );
  }
}

async function startEmbeddedHttpbin(paths: StatePaths): Promise<StartedHttpbin> {
  const log = paths.log('httpbin');
  const started = spawnDetached({
    role: 'httpbin',
    command: process.execPath,
    args: ['--import', 'tsx', EMBEDDED_HTTPBIN_MAIN, '--host', HOST, '--port', '0'],
    marker: EMBEDDED_HTTPBIN_MAIN,
    log,
    stopSignal: 'SIGTERM',
    cwd: REPO_ROOT,
    env: process.env,
  });
  const outcome = await waitForLogLine(log, 0, (line) => jsonEvent<{ event: string; url: string; port: number }>(line, 'listening'), {
    exited: started.exited,
    timeoutMs: HTTPBIN_READY_MS,
  });
  if (outcome.kind === 'found') return { process: started, kind: 'embedded-httpbin', url: outcome.value.url, port: outcome.value.port };
  await stopRecordedProcess(started.recorded);
  throw new ClassroomStartError(
    outcome.kind === 'exited'
      ? 'the embedded httpbin exited before it was listening.'
      : `the embedded httpbin printed no "listening" line within ${HTTPBIN_READY_MS / 1000} s and was stopped.`,
    logTail(log),
    shownPath(log),
  );
}

async function startHttpbin(choice: UpstreamChoice, paths: StatePaths, progress: (message: string) => void): Promise<StartedHttpbin> {
  const availability = debianHttpbinAvailability();
  const debian = choice === 'debian-httpbin' || (choice === 'auto' && availability.available);
  if (!debian) {
    progress('starting httpbin (embedded)…');
    return startEmbeddedHttpbin(paths);
  }
  if (!availability.available) throw new ClassroomStartError(`Debian httpbin is not available: ${availability.reason}`);
  progress("starting httpbin (Debian's, gunicorn)…");
  return startDebianHttpbin(availability.gunicorn, paths);
}

function listenToUrl(listen: string): string {
  const port = /:(\d+)$/.exec(listen)?.[1];
  return `http://${HOST}:${port}`;
}

interface GatewayLaunch {
  proxyPort: number;
  adminPort: number;
  overrides: string;
  log: LogName;
}

async function startGateway(launch: GatewayLaunch, options: LocalUpOptions): Promise<{ process: DetachedProcess; proxyUrl: string; adminUrl: string }> {
  const { proxyPort, adminPort } = launch;
  const log = options.paths.log(launch.log);
  const started = spawnDetached({
    role: 'gateway',
    command: process.execPath,
    args: ['--import', 'tsx', GATEWAY_MAIN],
    marker: GATEWAY_MAIN,
    log,
    stopSignal: 'SIGTERM',
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KONG_PROXY_LISTEN: `${HOST}:${proxyPort}`,
      KONG_ADMIN_LISTEN: `${HOST}:${adminPort}`,
      KONG_UPSTREAM_OVERRIDES: launch.overrides,
      // The access log (no header values, no query strings) is what explains a failing laptop.
      KONG_PROXY_ACCESS_LOG: 'on',
      KONG_DRAIN_TIMEOUT_MS: '2000',
    },
  });
  type Listening = { event: string; proxy_listen: string; admin_listen: string };
  const outcome = await waitForLogLine(log, 0, (line) => jsonEvent<Listening>(line, 'listening'), {
    exited: started.exited,
    timeoutMs: GATEWAY_LISTENING_MS,
  });
  if (outcome.kind !== 'found') {
    await stopRecordedProcess(started.recorded);
    const fatal = logTail(log, 50).split('\n').map((line) => jsonEvent<{ event: string; message: string }>(line, 'fatal')).filter(Boolean).pop();
    throw new ClassroomStartError(
      outcome.kind === 'exited'
        ? `the gateway exited before it was listening${fatal ? `: ${fatal.message}` : ''}. Run \`npm run gateway\` to see the failure directly.`
        : `the gateway printed no "listening" line within ${GATEWAY_LISTENING_MS / 1000} s and was stopped. The machine may be overloaded; try again.`,
      logTail(log),
      shownPath(log),
    );
  }
  return { process: started, proxyUrl: listenToUrl(outcome.value.proxy_listen), adminUrl: listenToUrl(outcome.value.admin_listen) };
}

async function startBalancer(nodes: Array<{ proxyUrl: string }>, options: LocalUpOptions): Promise<{ process: DetachedProcess; url: string }> {
  const log = options.paths.log('balancer');
  const backends = nodes.flatMap((node) => ['--backend', new URL(node.proxyUrl).host]);
  const started = spawnDetached({
    role: 'balancer',
    command: process.execPath,
    args: ['--import', 'tsx', BALANCER_MAIN, '--host', HOST, '--port', String(options.proxyPort), ...backends],
    marker: BALANCER_MAIN,
    log,
    stopSignal: 'SIGTERM',
    cwd: REPO_ROOT,
    env: process.env,
  });
  const outcome = await waitForLogLine(log, 0, (line) => jsonEvent<{ event: string; url: string }>(line, 'listening'), {
    exited: started.exited,
    timeoutMs: HTTPBIN_READY_MS,
  });
  if (outcome.kind === 'found') return { process: started, url: outcome.value.url };
  await stopRecordedProcess(started.recorded);
  throw new ClassroomStartError(
    outcome.kind === 'exited' ? `the balancer exited before it was listening on ${HOST}:${options.proxyPort}.` : 'the balancer printed no "listening" line in time and was stopped.',
    logTail(log),
    shownPath(log),
  );
}

export async function startLocalClassroomEnvironment(options: LocalUpOptions): Promise<EnvironmentRecord> {
  const progress = options.onProgress;
  const startedAt = performance.now();
  const started: DetachedProcess[] = [];
  let redisProcess: RecordedProcess | undefined;
  const stopAll = async (): Promise<void> => {
    for (const detached of [...started].reverse()) await stopRecordedProcess(detached.recorded);
    if (redisProcess) await stopRecordedProcess(redisProcess);
  };
  // Ctrl-C while starting: nothing half-started may stay behind.
  const unregister = registerCleanup(stopAll, () => [...started.map((detached) => detached.recorded.pid), ...(redisProcess ? [redisProcess.pid] : [])]);
  try {
    const httpbin = await startHttpbin(options.upstream, options.paths, progress);
    started.push(httpbin.process);
    progress(`httpbin (${httpbin.kind}) at ${httpbin.url}`);
    let overrides = `${WORKSHOP_UPSTREAM}=${HOST}:${httpbin.port}`;
    // The Redis's port is fixed now, even when it starts only on demand, so that every node knows
    // from the start where the workshop's Redis name points.
    const redis = redisServerAvailability().available ? { host: HOST, port: await freePort(HOST) } : undefined;
    if (redis) overrides += `,${WORKSHOP_REDIS}=${redis.host}:${redis.port}`;
    if (options.redis) {
      if (!redis) throw new ClassroomStartError(`--redis: redis-server is not installed (${REDIS_INSTALL_HINT})`);
      progress(`starting redis-server on ${redis.host}:${redis.port}…`);
      redisProcess = await spawnDetachedRedis(redis, options.paths);
    }
    const count = options.nodes ?? 1;
    const nodes: Array<{ proxyUrl: string; adminUrl: string }> = [];
    for (let index = 0; index < count; index += 1) {
      progress(count === 1 ? 'starting the gateway…' : `starting gateway node ${index + 1} of ${count}…`);
      const gateway = await startGateway(
        {
          // Behind the balancer the nodes take free ports; the balancer takes the proxy port.
          proxyPort: count === 1 ? options.proxyPort : 0,
          adminPort: index === 0 ? options.adminPort : 0,
          overrides,
          log: index === 0 ? 'gateway' : `gateway-${index + 1}`,
        },
        options,
      );
      started.push(gateway.process);
      const status = await waitForAdminApi(gateway.adminUrl, ADMIN_READY_MS);
      if (!status.ready) {
        throw new ClassroomStartError(
          `the gateway is listening but ${status.problem}.`,
          logTail(options.paths.log('gateway')),
          shownPath(options.paths.log('gateway')),
        );
      }
      nodes.push({ proxyUrl: gateway.proxyUrl, adminUrl: gateway.adminUrl });
    }
    let proxyUrl = nodes[0].proxyUrl;
    if (count > 1) {
      progress(`starting the balancer in front of the ${count} nodes…`);
      const balancer = await startBalancer(nodes, options);
      started.push(balancer.process);
      proxyUrl = balancer.url;
    }
    progress(`ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    for (const detached of started) detached.release();
    const processes: RecordedProcess[] = started.map((detached) => detached.recorded);
    if (redisProcess) processes.push(redisProcess);
    return {
      format: 1,
      runtime: 'local',
      startedAt: new Date().toISOString(),
      proxyUrl,
      adminUrl: nodes[0].adminUrl,
      upstream: { kind: httpbin.kind, url: httpbin.url },
      processes,
      ...(count > 1 ? { nodes } : {}),
      ...(redis ? { redis } : {}),
      applied: null,
      notes: options.notes ?? [],
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  } finally {
    unregister();
  }
}

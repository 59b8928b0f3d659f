// `npm run doctor`: what a laptop needs for the labs, each finding with its level and the fix.
// Every probe is bounded (Docker: GET /_ping with a 1.5 s limit), so the answer comes in seconds.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerClient } from '../env/containers/docker-client.js';
import { DEFAULT_PROBE_TIMEOUT_MS, describeProbe, probeDocker, type DockerProbe } from '../env/containers/docker-endpoint.js';
import { LABEL_IMAGE } from '../env/containers/labels.js';
import { chooseRuntime, type RuntimeChoice } from '../env/runtime-choice.js';
import { debianHttpbinAvailability } from '../upstream/index.js';
import { DEBIAN_HTTPBIN_INSTALL_HINT } from '../upstream/debian-httpbin.js';
import { redisServerAvailability } from '../redis/redis-server.js';
import { inspectEnvironment } from './inspect.js';
import { REPO_ROOT, shownPath, statePaths } from './paths.js';
import { checkPort, DEFAULT_ADMIN_PORT, DEFAULT_PROXY_PORT } from './ports.js';
import { readEnvironmentRecord, type EnvironmentRecord } from './state.js';

export type CheckLevel = 'OK' | 'WARN' | 'FAIL';

export interface DoctorCheck {
  level: CheckLevel;
  /** What was checked: `Node.js`, `port 8000`, `Docker`, … */
  name: string;
  detail: string;
  /** What to do; set for WARN and FAIL. */
  fix?: string;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** Loopback ports `npm run up` wants (default 8000 and 8001). */
  ports?: number[];
  probeTimeoutMs?: number;
}

const MIN_NODE_MAJOR = 20;
const PACKAGES = ['tsx', 'undici', 'js-yaml', 'execa', 'testcontainers'];

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return { level: 'OK', name: 'Node.js', detail: `v${process.versions.node} (${MIN_NODE_MAJOR} or newer needed)` };
  return {
    level: 'FAIL',
    name: 'Node.js',
    detail: `v${process.versions.node} is too old`,
    fix: `install Node.js ${MIN_NODE_MAJOR} or newer (e.g. nvm install ${MIN_NODE_MAJOR}), then npm install`,
  };
}

function packagesCheck(): DoctorCheck {
  const missing = PACKAGES.filter((name) => !existsSync(join(REPO_ROOT, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return { level: 'OK', name: 'npm packages', detail: `${PACKAGES.join(', ')} installed` };
  return { level: 'FAIL', name: 'npm packages', detail: `missing: ${missing.join(', ')}`, fix: `run npm install in ${REPO_ROOT}` };
}

function portOwnedBy(record: EnvironmentRecord | null, port: number): boolean {
  if (!record) return false;
  return [record.proxyUrl, record.adminUrl].some((url) => new URL(url).port === String(port));
}

async function portCheck(port: number, record: EnvironmentRecord | null): Promise<DoctorCheck> {
  const name = `port ${port}`;
  if (portOwnedBy(record, port)) return { level: 'OK', name, detail: 'used by the running environment (npm run up)' };
  const check = await checkPort(port);
  if (check.free) return { level: 'OK', name, detail: 'free on 127.0.0.1' };
  return {
    level: 'WARN',
    name,
    detail: `taken on 127.0.0.1 (${check.problem}): npm run up would use another free port, so DATA_PLANE_LB differs from the slides`,
    fix: `stop what listens there (see: ss -ltnp 'sport = :${port}'), or use the DATA_PLANE_LB that npm run up prints`,
  };
}

function dockerCheck(probe: DockerProbe, timeoutMs: number): DoctorCheck {
  if (probe.ok) return { level: 'OK', name: 'Docker', detail: describeProbe(probe, timeoutMs) };
  return {
    level: 'WARN',
    name: 'Docker',
    detail: `${describeProbe(probe, timeoutMs)}; the labs then run on local processes, which need no Docker`,
    fix: 'start Docker (e.g. `dockerd &` as root, or Docker Desktop), or point DOCKER_HOST at a daemon',
  };
}

async function imagesCheck(probe: DockerProbe): Promise<DoctorCheck> {
  const name = 'images';
  if (!probe.ok) return { level: 'WARN', name, detail: 'cannot tell without Docker', fix: 'once Docker answers: npm run images' };
  try {
    const { dockerode } = await dockerClient(probe.endpoint);
    const found: string[] = [];
    const missing: string[] = [];
    for (const image of ['gateway', 'httpbin', 'redis']) {
      const images = await dockerode.listImages({ filters: JSON.stringify({ label: [`${LABEL_IMAGE}=${image}`] }) });
      const tag = images.sort((a, b) => b.Created - a.Created).flatMap((entry) => entry.RepoTags ?? [])[0];
      if (tag) found.push(tag);
      else missing.push(`kong-labkit/${image}`);
    }
    if (missing.length === 0) return { level: 'OK', name, detail: `${found.join(', ')} present (rebuilt on start if the sources changed)` };
    return {
      level: 'WARN',
      name,
      detail: `${missing.join(' and ')} not built yet: the first container start builds them (minutes)`,
      fix: 'npm run images (before class, on a good network)',
    };
  } catch (err) {
    return { level: 'WARN', name, detail: `cannot list Docker images: ${(err as Error).message}`, fix: 'check that Docker answers: docker images' };
  }
}

function httpbinCheck(): DoctorCheck {
  const availability = debianHttpbinAvailability();
  if (availability.available) return { level: 'OK', name: 'Debian httpbin', detail: `installed (${availability.gunicorn}): the labs run against the real httpbin` };
  return {
    level: 'WARN',
    name: 'Debian httpbin',
    detail: `not usable (${availability.reason}); the local runtime uses the embedded httpbin instead`,
    fix: DEBIAN_HTTPBIN_INSTALL_HINT,
  };
}

/** The scale-out labs' `policy: redis` needs Debian's redis-server on the local runtime (the containers runtime runs its own). */
function redisCheck(): DoctorCheck {
  const availability = redisServerAvailability();
  if (availability.available) return { level: 'OK', name: 'redis-server', detail: `installed (${availability.path}): the labs with policy: redis run` };
  return {
    level: 'WARN',
    name: 'redis-server',
    detail: 'not installed: on the local runtime the labs that need a Redis (policy: redis) are skipped (the containers runtime runs its own)',
    fix: 'apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS)',
  };
}

function runtimeCheck(choice: RuntimeChoice, images: DoctorCheck): DoctorCheck {
  const detail = `npm run up would use ${choice.runtime} (${choice.reason})`;
  if (choice.runtime === 'containers' && images.level !== 'OK') {
    return { level: 'WARN', name: 'runtime', detail: `${detail}; its images are not built yet`, fix: `${images.fix}, or use --runtime local` };
  }
  return { level: 'OK', name: 'runtime', detail };
}

/** The workshop page's requests are curl commands; the labs themselves need no curl. */
async function curlCheck(): Promise<DoctorCheck> {
  const { which } = await import('zx');
  const path = await which('curl', { nothrow: true });
  if (path) return { level: 'OK', name: 'curl', detail: `${path} (the page's commands, and npm run lab N -- --keep, use it)` };
  return { level: 'WARN', name: 'curl', detail: 'not installed: the page\'s commands cannot be tried by hand (the labs run without it)', fix: 'apt-get install -y curl' };
}

async function environmentCheck(record: EnvironmentRecord | null, stateFile: string): Promise<DoctorCheck> {
  const name = 'environment';
  if (!record) return { level: 'OK', name, detail: `none running (nothing in ${shownPath(stateFile)}); npm run up starts one` };
  const health = await inspectEnvironment(record);
  if (health.problems.length === 0) return { level: 'OK', name, detail: `${record.runtime}, proxy ${record.proxyUrl}, gateway reachable` };
  return { level: 'FAIL', name, detail: health.problems[0], fix: 'npm run down, then npm run up (npm run status shows the logs)' };
}

export async function runDoctorChecks(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const env = options.env ?? process.env;
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const paths = statePaths(env);
  let record: EnvironmentRecord | null = null;
  let recordProblem: DoctorCheck | null = null;
  try {
    record = readEnvironmentRecord(paths);
  } catch (err) {
    recordProblem = { level: 'FAIL', name: 'environment', detail: (err as Error).message, fix: `delete ${shownPath(paths.stateFile)} once nothing of it runs` };
  }
  // The same probe the runtime choice makes; both bounded by the timeout, so they run side by side.
  const [probe, choice] = await Promise.all([probeDocker({ timeoutMs, env }), chooseRuntime('auto', { probeTimeoutMs: timeoutMs, env })]);
  const ports = await Promise.all((options.ports ?? [DEFAULT_PROXY_PORT, DEFAULT_ADMIN_PORT]).map((port) => portCheck(port, record)));
  const images = await imagesCheck(probe);
  return [
    nodeCheck(),
    packagesCheck(),
    ...ports,
    dockerCheck(probe, timeoutMs),
    images,
    httpbinCheck(),
    redisCheck(),
    await curlCheck(),
    runtimeCheck(choice, images),
    recordProblem ?? (await environmentCheck(record, paths.stateFile)),
  ];
}

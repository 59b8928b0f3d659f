// Where the Docker daemon is, and whether it answers. testcontainers alone can wait forever on a
// daemon that accepts connections and never replies, so we ask `GET /_ping` ourselves, with a
// deadline, before anything else talks to Docker.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HttpRequestError, openConnections, send, type Connections } from '../../http/index.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 1_500;

export interface DockerEndpoint {
  /** As DOCKER_HOST spells it: unix:///var/run/docker.sock or tcp://host:2375. */
  readonly uri: string;
  /** Where the endpoint came from, for the one line that explains the runtime choice. */
  readonly source: 'DOCKER_HOST' | 'default socket';
  /** Host ports the daemon publishes are reachable on this machine's loopback. */
  readonly local: boolean;
}

export type DockerProbe =
  | { readonly ok: true; readonly endpoint: DockerEndpoint; readonly version: string }
  | { readonly ok: false; readonly endpoint: DockerEndpoint; readonly reason: string };

/** The sockets testcontainers also tries, in its order, when DOCKER_HOST is not set. */
function candidateSockets(env: NodeJS.ProcessEnv): string[] {
  const sockets = ['/var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  sockets.push(join(homedir(), '.docker', 'run', 'docker.sock'), join(homedir(), '.docker', 'desktop', 'docker.sock'));
  return sockets;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || hostname.startsWith('127.');
}

export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const configured = env.DOCKER_HOST?.trim();
  if (configured) {
    let local = true;
    try {
      const url = new URL(configured);
      if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') local = isLoopbackHost(url.hostname);
    } catch {
      // An unparsable DOCKER_HOST is reported by the probe.
    }
    return { uri: configured, source: 'DOCKER_HOST', local };
  }
  const socket = candidateSockets(env).find((path) => existsSync(path)) ?? '/var/run/docker.sock';
  return { uri: `unix://${socket}`, source: 'default socket', local: true };
}

/** Docker's failures in the words that say what to do. */
function describeError(error: HttpRequestError): string {
  switch (error.failure) {
    case 'connect-timeout':
    case 'timeout':
      return 'no answer in time';
    case 'refused':
      return error.reason === 'no such socket' ? error.reason : 'connection refused (is dockerd running?)';
    default:
      return error.reason === 'permission denied' ? 'permission denied (is this user in the docker group?)' : error.reason;
  }
}

/**
 * `GET /_ping` (then `/version`) on the endpoint, each bounded by `timeoutMs`. Never throws.
 * TLS endpoints (DOCKER_TLS_VERIFY) are not probed: they count as not answering, with that reason.
 */
export async function probeDocker(
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<DockerProbe> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const endpoint = resolveDockerEndpoint(env);
  let base: string;
  let dispatcher: Connections;
  try {
    const url = new URL(endpoint.uri);
    if (url.protocol === 'unix:') {
      base = 'http://docker';
      dispatcher = openConnections({ socketPath: url.pathname, connectMs: timeoutMs });
    } else if (url.protocol === 'tcp:' || url.protocol === 'http:') {
      if (env.DOCKER_TLS_VERIFY === '1') {
        return { ok: false, endpoint, reason: 'a TLS endpoint (DOCKER_TLS_VERIFY=1), which the harness does not probe' };
      }
      base = `http://${url.host}`;
      dispatcher = openConnections({ connectMs: timeoutMs });
    } else {
      return { ok: false, endpoint, reason: `unsupported DOCKER_HOST scheme ${url.protocol}` };
    }
  } catch {
    return { ok: false, endpoint, reason: 'DOCKER_HOST is not a URL' };
  }

  const get = (path: string) => send(`${base}${path}`, { target: 'Docker', dispatcher, timeouts: { connectMs: timeoutMs, totalMs: timeoutMs } });
  try {
    const ping = await get('/_ping');
    if (ping.status !== 200) return { ok: false, endpoint, reason: `GET /_ping answered ${ping.status}` };
    const version = await get('/version');
    // Some proxies answer /_ping only; the version is just for the message.
    const serverVersion = (version.json() as { Version?: string } | undefined)?.Version ?? 'unknown version';
    return { ok: true, endpoint, version: serverVersion };
  } catch (err) {
    if (err instanceof HttpRequestError) return { ok: false, endpoint, reason: describeError(err) };
    return { ok: false, endpoint, reason: (err as Error).message };
  } finally {
    void dispatcher.destroy().catch(() => undefined);
  }
}

/** "Docker 20.10.24 answered at unix:///var/run/docker.sock" / "no usable Docker at …: connection refused (…)". */
export function describeProbe(result: DockerProbe, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): string {
  if (result.ok) return `Docker ${result.version} answered at ${result.endpoint.uri}`;
  return `no usable Docker at ${result.endpoint.uri}: ${result.reason} (asked GET /_ping, ${(timeoutMs / 1000).toFixed(1)} s limit)`;
}

// Where the Docker daemon is, and whether it answers. testcontainers alone can wait forever on a
// daemon that accepts connections and never replies, so we ask `GET /_ping` ourselves, with a
// deadline, before anything else talks to Docker.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

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

function describeError(err: unknown): string {
  const error = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = error.code ?? error.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return 'no answer in time';
  }
  if (code === 'ENOENT') return 'no such socket';
  if (code === 'EACCES') return 'permission denied (is this user in the docker group?)';
  if (code === 'ECONNREFUSED') return 'connection refused (is dockerd running?)';
  return code ? `${code} (${error.cause?.message ?? error.message})` : String(error.message ?? err);
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
  let dispatcher: Agent;
  try {
    const url = new URL(endpoint.uri);
    if (url.protocol === 'unix:') {
      base = 'http://docker';
      dispatcher = new Agent({ connect: { socketPath: url.pathname, timeout: timeoutMs } });
    } else if (url.protocol === 'tcp:' || url.protocol === 'http:') {
      if (env.DOCKER_TLS_VERIFY === '1') {
        return { ok: false, endpoint, reason: 'a TLS endpoint (DOCKER_TLS_VERIFY=1), which the harness does not probe' };
      }
      base = `http://${url.host}`;
      dispatcher = new Agent({ connect: { timeout: timeoutMs } });
    } else {
      return { ok: false, endpoint, reason: `unsupported DOCKER_HOST scheme ${url.protocol}` };
    }
  } catch {
    return { ok: false, endpoint, reason: 'DOCKER_HOST is not a URL' };
  }

  const get = async (path: string): Promise<{ status: number; text: string }> => {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await request(`${base}${path}`, {
      dispatcher,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };
  try {
    const ping = await get('/_ping');
    if (ping.status !== 200) return { ok: false, endpoint, reason: `GET /_ping answered ${ping.status}` };
    const version = await get('/version');
    let serverVersion = 'unknown version';
    try {
      serverVersion = (JSON.parse(version.text) as { Version?: string }).Version ?? serverVersion;
    } catch {
      // Some proxies answer /_ping only; the version is just for the message.
    }
    return { ok: true, endpoint, version: serverVersion };
  } catch (err) {
    const aborted = (err as { name?: string }).name === 'AbortError' || (err as { name?: string }).name === 'TimeoutError';
    return { ok: false, endpoint, reason: aborted ? 'no answer in time' : describeError(err) };
  } finally {
    void dispatcher.destroy().catch(() => undefined);
  }
}

/** "Docker 20.10.24 answered at unix:///var/run/docker.sock" / "no usable Docker at …: connection refused (…)". */
export function describeProbe(result: DockerProbe, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): string {
  if (result.ok) return `Docker ${result.version} answered at ${result.endpoint.uri}`;
  return `no usable Docker at ${result.endpoint.uri}: ${result.reason} (asked GET /_ping, ${(timeoutMs / 1000).toFixed(1)} s limit)`;
}

// Probe first, then hand the probed endpoint to testcontainers: the only entry to Docker.

import { dockerClient, type DockerClient } from './docker-client.js';
import { describeProbe, probeDocker, DEFAULT_PROBE_TIMEOUT_MS } from './docker-endpoint.js';
import { DockerUnavailableError } from './errors.js';

export async function connectDocker(options: { probeTimeoutMs?: number } = {}): Promise<DockerClient> {
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = await probeDocker({ timeoutMs });
  if (!probe.ok) {
    throw new DockerUnavailableError(
      `${describeProbe(probe, timeoutMs)}. Start Docker (e.g. \`dockerd &\` as root) or point DOCKER_HOST at a daemon; ` +
        'or use --runtime local.',
    );
  }
  return dockerClient(probe.endpoint);
}

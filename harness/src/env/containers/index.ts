// The container runtime: images for the gateway, httpbin and Redis, and environments of httpbin, a
// Redis and N gateway nodes on their own Docker network.

import { parseBaseStrategy } from './base-images.js';
import { connectDocker } from './connect-docker.js';
import { ensureLabImages, type EnsureLabImagesOptions, type LabImages } from './lab-images.js';

export { describeProbe, probeDocker, resolveDockerEndpoint, DEFAULT_PROBE_TIMEOUT_MS } from './docker-endpoint.js';
export type { DockerEndpoint, DockerProbe } from './docker-endpoint.js';
export { ContainerStartError, DockerUnavailableError, ImageBuildError } from './errors.js';
export { PUBLIC_BASES, parseBaseStrategy, type BaseStrategy } from './base-images.js';
export type { EnsureLabImagesOptions, LabImageReport, LabImages } from './lab-images.js';
export { connectDocker } from './connect-docker.js';
export {
  startContainerEnvironment,
  WORKSHOP_HTTPBIN_ALIAS,
  type ContainerEnvironmentOptions,
  type ContainerIds,
  type ContainerLabEnvironment,
} from './container-environment.js';
export { ensureLabImages } from './lab-images.js';
export { WORKSHOP_REDIS_ALIAS } from './redis-container.js';
export { removeEnvironmentResources, removeLeftovers, type RemovedResources } from './docker-resources.js';
export { dockerRequirement, RequiredDockerMissing, REQUIRE_DOCKER_ENV } from './requirements.js';

/** `npm run images`: probe Docker, then make sure every image exists (building what is missing). */
export async function buildLabImages(options: Omit<EnsureLabImagesOptions, 'base'> & { base?: string } = {}): Promise<LabImages> {
  const base = parseBaseStrategy(options.base);
  const docker = await connectDocker();
  return ensureLabImages(docker.dockerode, { ...options, base });
}

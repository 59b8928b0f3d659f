// The one way this harness talks to Docker: testcontainers' runtime client (and the dockerode
// instance inside it), configured for the endpoint we probed. testcontainers is imported lazily so
// a machine without Docker never loads it, and so its settings are in place before it reads them.

import type Dockerode from 'dockerode';
import type { DockerEndpoint } from './docker-endpoint.js';

export type Testcontainers = typeof import('testcontainers');

export interface DockerClient {
  readonly testcontainers: Testcontainers;
  readonly dockerode: Dockerode;
  readonly endpoint: DockerEndpoint;
}

let loaded: Promise<DockerClient> | undefined;

/**
 * Settings testcontainers reads from the environment; a value the user set wins.
 * - The reaper image (testcontainers/ryuk) cannot be pulled offline; we clean up by label instead.
 * - DOCKER_HOST: the endpoint we probed, so both talk to the same daemon.
 * - The host override: we publish ports on 127.0.0.1 of a local daemon; without it testcontainers
 *   guesses the bridge gateway whenever /.dockerenv exists, where nothing of ours listens.
 */
function configureTestcontainers(endpoint: DockerEndpoint): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.DOCKER_HOST ??= endpoint.uri;
  if (endpoint.local) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}

/** Loads and initialises testcontainers once per process; call only after probeDocker() said ok. */
export function dockerClient(endpoint: DockerEndpoint): Promise<DockerClient> {
  loaded ??= (async () => {
    configureTestcontainers(endpoint);
    const testcontainers = await import('testcontainers');
    const client = await testcontainers.getContainerRuntimeClient();
    return { testcontainers, dockerode: client.container.dockerode, endpoint };
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

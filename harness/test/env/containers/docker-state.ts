// What Docker holds of ours, read with the docker API (through the harness's own client).
import { connectDocker } from '../../../src/env/containers/connect-docker.js';
import { LABEL_ENVIRONMENT, LABEL_MANAGED } from '../../../src/env/containers/labels.js';

export async function dockerode() {
  return (await connectDocker()).dockerode;
}

/** Containers and networks labelled with this environment id (all states). */
export async function environmentResources(environmentId: string): Promise<{ containers: string[]; networks: string[] }> {
  const docker = await dockerode();
  const filters = JSON.stringify({ label: [`${LABEL_ENVIRONMENT}=${environmentId}`] });
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return { containers: containers.map((c) => c.Names[0] ?? c.Id), networks: networks.map((n) => n.Name) };
}

/** Every container and network of ours, whoever owns it. */
export async function allManagedResources(): Promise<{ containers: number; networks: number }> {
  const docker = await dockerode();
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`] });
  return { containers: (await docker.listContainers({ all: true, filters })).length, networks: (await docker.listNetworks({ filters })).length };
}

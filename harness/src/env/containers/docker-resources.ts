// Removing what we created, by label: one environment's containers and network on close, and on
// every start whatever a killed run left behind (its owner process is gone).

import type Dockerode from 'dockerode';
import { LABEL_ENVIRONMENT, LABEL_MANAGED, ownerState } from './labels.js';

export interface RemovedResources {
  containers: number;
  networks: number;
}

function isNotFound(err: unknown): boolean {
  const status = (err as { statusCode?: number }).statusCode;
  return status === 404 || status === 409; // gone already, or its removal is already in progress
}

async function removeContainers(dockerode: Dockerode, ids: string[]): Promise<number> {
  const results = await Promise.all(
    ids.map(async (id) => {
      try {
        // Force: SIGKILL and remove in one call; a lab gateway has nothing to drain at teardown.
        await dockerode.getContainer(id).remove({ force: true, v: true });
        return 1;
      } catch (err) {
        if (isNotFound(err)) return 0;
        throw err;
      }
    }),
  );
  return results.reduce<number>((sum, n) => sum + n, 0);
}

async function removeNetworks(dockerode: Dockerode, ids: string[]): Promise<number> {
  let removed = 0;
  for (const id of ids) {
    try {
      await dockerode.getNetwork(id).remove();
      removed += 1;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return removed;
}

/** Removes every container, then the network, labelled with this environment id. */
export async function removeEnvironmentResources(dockerode: Dockerode, environmentId: string): Promise<RemovedResources> {
  const filters = JSON.stringify({ label: [`${LABEL_ENVIRONMENT}=${environmentId}`] });
  const containers = await dockerode.listContainers({ all: true, filters });
  const removedContainers = await removeContainers(dockerode, containers.map((c) => c.Id));
  const networks = await dockerode.listNetworks({ filters });
  const removedNetworks = await removeNetworks(dockerode, networks.map((n) => n.Id));
  return { containers: removedContainers, networks: removedNetworks };
}

/** Removes our containers and networks whose owner process no longer runs on this machine. */
export async function removeLeftovers(dockerode: Dockerode): Promise<RemovedResources> {
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`] });
  const containers = await dockerode.listContainers({ all: true, filters });
  const removedContainers = await removeContainers(
    dockerode,
    containers.filter((c) => ownerState(c.Labels) === 'gone').map((c) => c.Id),
  );
  const networks = await dockerode.listNetworks({ filters });
  const removedNetworks = await removeNetworks(
    dockerode,
    networks.filter((n) => ownerState(n.Labels) === 'gone').map((n) => n.Id),
  );
  return { containers: removedContainers, networks: removedNetworks };
}

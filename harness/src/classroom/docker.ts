// The Docker side of a persistent container environment: what its containers are doing, and
// removing them (and their network) by the environment label once the keeper is stopped.

import { connectDocker } from '../env/containers/connect-docker.js';
import { removeEnvironmentResources, type RemovedResources } from '../env/containers/docker-resources.js';
import type { ContainerRecord } from './state.js';

export interface ContainerState {
  role: 'gateway' | 'httpbin';
  id: string;
  /** Docker's word (running, exited, …) or `missing`. */
  state: string;
}

export type ContainerStates = { ok: true; containers: ContainerState[] } | { ok: false; problem: string };

export async function containerStates(record: ContainerRecord): Promise<ContainerStates> {
  let docker;
  try {
    docker = await connectDocker();
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
  const containers: ContainerState[] = [];
  for (const role of ['gateway', 'httpbin'] as const) {
    const id = record.containers[role];
    try {
      const info = await docker.dockerode.getContainer(id).inspect();
      containers.push({ role, id, state: info.State.Status });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) return { ok: false, problem: (err as Error).message };
      containers.push({ role, id, state: 'missing' });
    }
  }
  return { ok: true, containers };
}

export async function removeContainerEnvironment(environmentId: string): Promise<RemovedResources> {
  const docker = await connectDocker();
  return removeEnvironmentResources(docker.dockerode, environmentId);
}

// The Docker side of a persistent container environment: what its containers are doing, and
// removing them (and their network) by the environment label once the keeper is stopped.

import { connectDocker } from '../env/containers/connect-docker.js';
import { removeEnvironmentResources, type RemovedResources } from '../env/containers/docker-resources.js';
import type { ContainerRecord } from './state.js';

export interface ContainerState {
  /** gateway (node 1), gateway-2, …, httpbin, redis: the container names' endings. */
  role: string;
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
  const { gateway, nodes = [gateway], httpbin, redis } = record.containers;
  const roles: Array<[string, string]> = [
    ...nodes.map((id, index): [string, string] => [index === 0 ? 'gateway' : `gateway-${index + 1}`, id]),
    ['httpbin', httpbin],
    ...(redis ? [['redis', redis] as [string, string]] : []),
  ];
  for (const [role, id] of roles) {
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

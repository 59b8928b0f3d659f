// What `npm run status` finds: are the recorded processes (or containers) still there, does the
// gateway answer, which lab does it run, how many rate-limit counters are live — and for each
// problem, what to do about it.

import { AdminApi, AdminApiError, HttpRequestError, nodeAdminApis, PROBE_TIMEOUT_MS, type AdminHealth } from '../http/index.js';
import { containerStates, type ContainerState } from './docker.js';
import { classroomRedisRunning } from './redis.js';
import { recordedProcessState, type RecordedProcessState } from './processes.js';
import type { AppliedConfiguration, EnvironmentRecord } from './state.js';

export type GatewayHealth = AdminHealth;

/**
 * current: the recorded lab (or empty configuration) is what runs; changed: the hash moved since;
 * unknown: the gateway did not answer; none: nothing recorded yet.
 */
export type AppliedState = 'current' | 'changed' | 'unknown' | 'none';

export type CounterHealth = { state: 'known'; count: number } | { state: 'unsupported' } | { state: 'unknown'; problem: string };

export interface EnvironmentHealth {
  processes: Array<{ role: string; pid: number; state: RecordedProcessState }>;
  /** null on the local runtime. */
  containers: ContainerState[] | null;
  gateway: GatewayHealth;
  applied: { state: AppliedState; record: AppliedConfiguration | null };
  counters: CounterHealth;
  /** `--nodes N`: each node's own answer, node 1 first; `agree` when every node holds node 1's configuration_hash. null for one node. */
  nodes: { each: Array<{ adminUrl: string } & GatewayHealth>; agree: boolean } | null;
  /** Whether its Redis runs now (stopped is no problem: it starts on demand); null when it has none. */
  redis: { running: boolean } | null;
  /** Each says what is wrong and what to type. Empty when all is well. */
  problems: string[];
}

async function counterHealth(adminUrl: string): Promise<CounterHealth> {
  try {
    return await new AdminApi(adminUrl, { timeouts: { totalMs: PROBE_TIMEOUT_MS } }).counters();
  } catch (error) {
    if (error instanceof AdminApiError) return { state: 'unknown', problem: `HTTP ${error.status}` };
    if (error instanceof HttpRequestError) return { state: 'unknown', problem: error.reason };
    throw error;
  }
}

function appliedState(record: AppliedConfiguration | null, gateway: GatewayHealth): AppliedState {
  if (!gateway.reachable) return 'unknown';
  if (!record) return 'none';
  return record.configurationHash === gateway.configurationHash ? 'current' : 'changed';
}

const RESTART = 'npm run down, then npm run up';

export async function inspectEnvironment(record: EnvironmentRecord): Promise<EnvironmentHealth> {
  const problems: string[] = [];
  const processes = record.processes.map((recorded) => ({ role: recorded.role, pid: recorded.pid, state: recordedProcessState(recorded) }));
  for (const entry of processes) {
    if (entry.state === 'running') continue;
    const what = entry.role === 'keeper' ? 'the process that owns the containers' : entry.role === 'lab' ? `${record.startedBy ?? 'npm run lab'}, which owns this environment,` : `the ${entry.role} process`;
    problems.push(`${what} (pid ${entry.pid}) is ${entry.state === 'gone' ? 'gone' : 'gone (its pid now belongs to another program)'}. Fix: ${RESTART}.`);
  }

  // Docker and every node are asked at once: status answers as fast as the slowest of them.
  const apis = nodeAdminApis(record);
  const asked = Promise.all([Promise.all(apis.map((api) => api.health())), counterHealth(record.adminUrl)]);
  let containers: ContainerState[] | null = null;
  if (record.containers) {
    const states = await containerStates(record.containers);
    if (states.ok) {
      containers = states.containers;
      for (const container of containers.filter((c) => c.state !== 'running')) {
        problems.push(`the ${container.role} container ${container.id.slice(0, 12)} is ${container.state}. Fix: ${RESTART}.`);
      }
    } else {
      problems.push(`cannot ask Docker about the containers: ${states.problem}`);
    }
  }

  const [healths, counters] = await asked;
  const gateway = healths[0];
  if (!gateway.reachable) {
    problems.push(`the gateway's Admin API ${record.adminUrl} does not answer (${gateway.problem}). Fix: ${RESTART}.`);
  }
  let nodes: EnvironmentHealth['nodes'] = null;
  if (record.nodes) {
    const each = apis.map((api, index) => ({ adminUrl: api.url, ...healths[index] }));
    const hashes = new Set(each.map((node) => (node.reachable ? node.configurationHash : null)));
    const agree = hashes.size === 1 && !hashes.has(null);
    nodes = { each, agree };
    for (const [index, node] of each.entries()) {
      if (index > 0 && !node.reachable) problems.push(`gateway node ${index + 1}'s Admin API ${node.adminUrl} does not answer (${node.problem}). Fix: ${RESTART}.`);
    }
    if (!agree && each.every((node) => node.reachable)) {
      problems.push('the gateway nodes hold different configurations (someone synced one node only?). Fix: npm run goto N (or npm run reset) syncs every node.');
    }
  }
  const redis = record.redis ? { running: await classroomRedisRunning(record) } : null;
  return { processes, containers, gateway, applied: { state: appliedState(record.applied, gateway), record: record.applied }, counters, nodes, redis, problems };
}

// What `npm run status` finds: are the recorded processes (or containers) still there, does the
// gateway answer, which lab does it run, how many rate-limit counters are live — and for each
// problem, what to do about it.

import { request } from 'undici';
import { probe } from '../env/admin-probe.js';
import { containerStates, type ContainerState } from './docker.js';
import { recordedProcessState, type RecordedProcessState } from './processes.js';
import type { AppliedConfiguration, EnvironmentRecord } from './state.js';

const COUNTERS_PATH = '/_labkit/rate-limiting/counters';

export type GatewayHealth = { reachable: true; configurationHash: string } | { reachable: false; problem: string };

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
  /** Each says what is wrong and what to type. Empty when all is well. */
  problems: string[];
}

async function gatewayHealth(adminUrl: string): Promise<GatewayHealth> {
  const answer = await probe(`${adminUrl}/status`);
  if (!answer.ok) return { reachable: false, problem: answer.problem };
  const hash = (answer.body as { configuration_hash?: unknown }).configuration_hash;
  return { reachable: true, configurationHash: typeof hash === 'string' ? hash : '' };
}

async function counterHealth(adminUrl: string): Promise<CounterHealth> {
  try {
    const response = await request(`${adminUrl}${COUNTERS_PATH}`, { headersTimeout: 3_000, bodyTimeout: 3_000 });
    const text = await response.body.text();
    if (response.statusCode === 404 || response.statusCode === 405) return { state: 'unsupported' };
    const count = (JSON.parse(text) as { counters?: unknown }).counters;
    if (response.statusCode === 200 && typeof count === 'number') return { state: 'known', count };
    return { state: 'unknown', problem: `HTTP ${response.statusCode}` };
  } catch (err) {
    return { state: 'unknown', problem: (err as { code?: string }).code ?? (err as Error).message };
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

  const [gateway, counters] = await Promise.all([gatewayHealth(record.adminUrl), counterHealth(record.adminUrl)]);
  if (!gateway.reachable) {
    problems.push(`the gateway's Admin API ${record.adminUrl} does not answer (${gateway.problem}). Fix: ${RESTART}.`);
  }
  let nodes: EnvironmentHealth['nodes'] = null;
  if (record.nodes) {
    const each = await Promise.all(record.nodes.map(async (node) => ({ adminUrl: node.adminUrl, ...(await gatewayHealth(node.adminUrl)) })));
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
  return { processes, containers, gateway, applied: { state: appliedState(record.applied, gateway), record: record.applied }, counters, nodes, problems };
}

// The lines that tell people where the environment is; shared by up and status.

import { shownPath, type StatePaths } from '../paths.js';
import type { EnvironmentRecord } from '../state.js';

/** `redisRunning`: whether its Redis runs now (classroomRedisRunning); by default what the record's processes say. */
export function environmentLines(record: EnvironmentRecord, paths: StatePaths, redisRunning = record.processes.some((recorded) => recorded.role === 'redis')): string[] {
  const logs = record.processes.filter((recorded) => recorded.log).map((recorded) => shownPath(recorded.log));
  const lines = [
    `  export DATA_PLANE_LB=${record.proxyUrl}   # the page's proxy`,
    `  Admin API   ${record.adminUrl}${record.nodes ? '   (node 1\'s; npm run lab/reset/goto sync every node)' : ''}`,
    `  Upstream    ${record.upstream.kind} at ${record.upstream.url}`,
  ];
  if (record.nodes) {
    lines.push(`  Nodes       ${record.nodes.length} behind a per-connection round-robin balancer on the proxy port`);
    for (const [index, node] of record.nodes.entries()) lines.push(`    node ${index + 1}    proxy ${node.proxyUrl}, Admin API ${node.adminUrl}`);
  }
  if (record.redis) {
    const name = record.containers ? '(published from Docker) as redis-stack.redis.svc.cluster.local:6379 on its network' : 'as redis-stack.redis.svc.cluster.local:6379';
    lines.push(`  Redis       ${record.redis.host}:${record.redis.port} ${name}, ${redisRunning ? 'running' : 'starts when a declaration uses policy: redis'}`);
  }
  if (record.containers) {
    // The containers are named after their network (harness/src/env/containers/container-environment.ts).
    const network = record.containers.network;
    lines.push(`  Docker      network ${network}`);
    const nodes = record.nodes?.length ?? 1;
    for (let node = 1; node <= nodes; node += 1) logs.push(`docker logs ${network}-gateway${node === 1 ? '' : `-${node}`}`);
    logs.push(`docker logs ${network}-httpbin`);
    if (record.containers.containers.redis) logs.push(`docker logs ${network}-redis`);
  }
  lines.push(`  Logs        ${[...new Set(logs)].join(', ') || 'in the terminal of the command'}   (record: ${shownPath(paths.stateFile)})`);
  for (const note of record.notes) lines.push(`  Note        ${note}`);
  return lines;
}

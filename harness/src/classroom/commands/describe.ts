// The lines that tell people where the environment is; shared by up and status.

import { shownPath, type StatePaths } from '../paths.js';
import type { EnvironmentRecord } from '../state.js';

export function environmentLines(record: EnvironmentRecord, paths: StatePaths): string[] {
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
    const running = record.processes.some((recorded) => recorded.role === 'redis');
    lines.push(`  Redis       ${record.redis.host}:${record.redis.port} as redis-stack.redis.svc.cluster.local:6379, ${running ? 'running' : 'starts when a declaration uses policy: redis'}`);
  }
  if (record.containers) {
    // The containers are named after their network (harness/src/env/containers/container-environment.ts).
    const network = record.containers.network;
    lines.push(`  Docker      network ${network}`);
    logs.push(`docker logs ${network}-gateway`, `docker logs ${network}-httpbin`);
  }
  lines.push(`  Logs        ${[...new Set(logs)].join(', ') || 'in the terminal of the command'}   (record: ${shownPath(paths.stateFile)})`);
  for (const note of record.notes) lines.push(`  Note        ${note}`);
  return lines;
}

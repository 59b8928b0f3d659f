// The lines that tell people where the environment is; shared by up and status.

import { shownPath, type StatePaths } from '../paths.js';
import type { EnvironmentRecord } from '../state.js';

export function environmentLines(record: EnvironmentRecord, paths: StatePaths): string[] {
  const logs = record.processes.filter((recorded) => recorded.log).map((recorded) => shownPath(recorded.log));
  const lines = [
    `  export DATA_PLANE_LB=${record.proxyUrl}     # the proxy, as the page calls it`,
    `  Admin API   ${record.adminUrl}`,
    `  Upstream    ${record.upstream.kind} at ${record.upstream.url}`,
  ];
  if (record.containers) {
    // The containers are named after their network (harness/src/containers/container-environment.ts).
    const network = record.containers.network;
    lines.push(`  Docker      network ${network}`);
    logs.push(`docker logs ${network}-gateway`, `docker logs ${network}-httpbin`);
  }
  lines.push(`  Logs        ${[...new Set(logs)].join(', ') || 'in the terminal of the command'}   (record: ${shownPath(paths.stateFile)})`);
  for (const note of record.notes) lines.push(`  Note        ${note}`);
  return lines;
}

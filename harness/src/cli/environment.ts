// The environment a command works against: a fresh local one, or a gateway the attendee runs.

import type { LabEnvironment } from '../env/index.js';
import { openLabEnvironment } from '../env/runtime-choice.js';
import { readRunningEnvironment } from '../classroom/state.js';
import { maskUrlCredentials } from '../runner/http.js';
import type { CommandOptions } from './args.js';

export async function openEnvironment(options: CommandOptions, onProgress: (message: string) => void): Promise<LabEnvironment> {
  // `npm run up` left an environment running: use it and leave it up (unless another runtime is asked for).
  if (options.runtime !== 'external') {
    const running = await readRunningEnvironment();
    if (running && (options.runtime === 'auto' || options.runtime === running.runtime)) {
      onProgress(`using the environment of npm run up at ${maskUrlCredentials(running.proxyUrl)} (it stays up)`);
      return running;
    }
  }
  if (options.runtime === 'external') {
    onProgress(`using the gateway at ${maskUrlCredentials(options.proxyUrl!)} (Admin API ${maskUrlCredentials(options.adminUrl!)})`);
  }
  return openLabEnvironment({
    runtime: options.runtime,
    proxyUrl: options.proxyUrl,
    adminUrl: options.adminUrl,
    upstream: options.upstream,
    onProgress,
  });
}

export function describeEnvironment(env: LabEnvironment): string[] {
  const lines = [
    `  export DATA_PLANE_LB=${maskUrlCredentials(env.proxyUrl)}     # the proxy, as the page calls it`,
    `  Admin API: ${maskUrlCredentials(env.adminUrl)}`,
  ];
  if (env.upstream) lines.push(`  Upstream:  ${env.upstream.kind} at ${env.upstream.url}`);
  return lines;
}

// The environment a command works against: a fresh local one, or a gateway the attendee runs.

import { connectExternalEnvironment, startLocalEnvironment, type LabEnvironment } from '../env/index.js';
import { maskUrlCredentials } from '../runner/http.js';
import type { CommandOptions } from './args.js';

export function openEnvironment(options: CommandOptions, onProgress: (message: string) => void): Promise<LabEnvironment> {
  if (options.runtime === 'external') {
    onProgress(`using the gateway at ${maskUrlCredentials(options.proxyUrl!)} (Admin API ${maskUrlCredentials(options.adminUrl!)})`);
    return connectExternalEnvironment({ proxyUrl: options.proxyUrl!, adminUrl: options.adminUrl! });
  }
  return startLocalEnvironment({ upstream: options.upstream, onProgress });
}

export function describeEnvironment(env: LabEnvironment): string[] {
  const lines = [
    `  export DATA_PLANE_LB=${maskUrlCredentials(env.proxyUrl)}     # the proxy, as the page calls it`,
    `  Admin API: ${maskUrlCredentials(env.adminUrl)}`,
  ];
  if (env.upstream) lines.push(`  Upstream:  ${env.upstream.kind} at ${env.upstream.url}`);
  return lines;
}

// The environment a command works against: a fresh local one, or a gateway the attendee runs.

import type { LabEnvironment } from '../env/index.js';
import { openLabEnvironment } from '../env/runtime-choice.js';
import { readRunningEnvironment } from '../classroom/state.js';
import { maskUrlCredentials } from '../runner/http.js';
import { statePaths } from '../classroom/paths.js';
import type { CommandOptions } from './args.js';
import type { CommandIo } from './output.js';

/** `--use-class` without a class environment to use. */
export class NoClassEnvironmentError extends Error {
  constructor(stateFile: string) {
    super(`--use-class: no environment of npm run up answers (nothing usable recorded in ${stateFile}). Start one with npm run up, or leave out --use-class.`);
    this.name = 'NoClassEnvironmentError';
  }
}

/**
 * The environment of `npm run up` when one runs (lab: unless another runtime is asked for; labs: only
 * with --use-class, since running every lab would leave the class at the last one), else a new one.
 */
export async function openEnvironment(
  options: CommandOptions,
  io: Pick<CommandIo, 'env'>,
  onProgress: (message: string) => void,
  command: 'lab' | 'labs' = 'lab',
): Promise<LabEnvironment> {
  const wantsClass = command === 'lab' || options.useClass;
  if (options.runtime !== 'external' && wantsClass) {
    const paths = statePaths(io.env);
    const running = await readRunningEnvironment(paths);
    if (running && (options.runtime === 'auto' || options.runtime === running.runtime)) {
      onProgress(`using the environment of npm run up at ${maskUrlCredentials(running.proxyUrl)} (it stays up)`);
      return running;
    }
    if (options.useClass) throw new NoClassEnvironmentError(paths.stateFile);
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

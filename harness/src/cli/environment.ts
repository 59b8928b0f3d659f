// The environment a command works against: a fresh local one, or a gateway the attendee runs.

import { LabkitError } from '../errors/labkit-error.js';
import type { LabEnvironment } from '../env/index.js';
import { openLabEnvironment } from '../env/runtime-choice.js';
import { readRunningEnvironment } from '../classroom/state.js';
import { maskUrlCredentials } from '../runner/http.js';
import { statePaths } from '../classroom/paths.js';
import type { CommandOptions } from './args.js';
import type { CommandIo } from './output.js';
import { describeNeeds, fits, type EnvironmentNeeds } from './lab-needs.js';

/** `--use-class` without a class environment to use. */
export class NoClassEnvironmentError extends LabkitError {
  constructor(stateFile: string) {
    super('NO_ENVIRONMENT', {
      problem: `--use-class: no environment of npm run up answers (nothing usable recorded in ${stateFile})`,
      fix: 'start one with npm run up, or leave out --use-class',
    });
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
  needs: EnvironmentNeeds = { nodes: options.nodes, redis: options.redis },
): Promise<LabEnvironment> {
  const wantsClass = command === 'lab' || options.useClass;
  if (options.runtime !== 'external' && wantsClass) {
    const paths = statePaths(io.env);
    const running = await readRunningEnvironment(paths);
    if (running && (options.runtime === 'auto' || options.runtime === running.runtime)) {
      if (fits(running, needs)) {
        onProgress(`using the environment of npm run up at ${maskUrlCredentials(running.proxyUrl)} (it stays up)`);
        return running;
      }
      const has = describeNeeds({ nodes: running.nodes?.length ?? 1, redis: running.redis != null });
      if (options.useClass) throw new Error(`--use-class: this lab runs on ${describeNeeds(needs)}, the environment of npm run up has ${has}`);
      onProgress(`this lab runs on ${describeNeeds(needs)}, the environment of npm run up has ${has}: starting one of its own (npm run up -- --nodes ${needs.nodes}${needs.redis ? ' --redis' : ''} makes the class one fit)`);
    } else if (options.useClass) throw new NoClassEnvironmentError(paths.stateFile);
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
    nodes: needs.nodes,
    redis: needs.redis,
  });
}

export function describeEnvironment(env: LabEnvironment): string[] {
  const lines = [
    `  export DATA_PLANE_LB=${maskUrlCredentials(env.proxyUrl)}   # the page's proxy`,
    `  Admin API: ${maskUrlCredentials(env.adminUrl)}`,
  ];
  if ((env.nodes?.length ?? 1) > 1) lines.push(`  Nodes:     ${env.nodes!.length} behind a per-connection round-robin balancer (the Admin API above is node 1's)`);
  if (env.upstream) lines.push(`  Upstream:  ${env.upstream.kind} at ${env.upstream.url}`);
  return lines;
}

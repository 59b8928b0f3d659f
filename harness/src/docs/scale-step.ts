// A page's Kong data plane with `replicas: N` (applied with kubectl): the one Kubernetes step the environment
// can do itself. It changes the run's gateway node count to N, as scaling the Deployment would; the blocks
// after it then go round N nodes behind the balancer, in bash (DATA_PLANE_LB, the kit's deck) and in the
// emulation alike. An environment that cannot change its node count cannot show what the page shows next:
// the page is not verifiable from there on.

import type { LabEnvironment } from '../env/index.js';
import { retargetBashSession } from './bash-shell.js';
import type { StepResult, VerifyPageOptions } from './run-page.js';
import type { ScaleStep } from './types.js';

function cannotScaleReason(env: LabEnvironment): string {
  if (env.runtime === 'external') return 'an external gateway is not the kit\'s to scale';
  return 'this environment cannot change its node count';
}

export function unscalableReason(step: ScaleStep, env: LabEnvironment): string {
  return `not verifiable: it scales the data plane to ${step.nodes} nodes (replicas: ${step.nodes}), and ${cannotScaleReason(env)}`;
}

export async function runScaleStep(step: ScaleStep, env: LabEnvironment, options: Pick<VerifyPageOptions, 'bash'>): Promise<StepResult> {
  const notes = step.documentedLine !== undefined ? [`kubectl's output (block L${step.documentedLine}) is not compared`] : [];
  const current = env.nodes?.length ?? 1;
  if (current === step.nodes) return { step, drifts: [], compared: false, notes: [`the environment runs ${current} gateway node${current === 1 ? '' : 's'} already (replicas: ${step.nodes})`, ...notes] };
  if (!env.scale) return { step, drifts: [], compared: false, notes, skipped: unscalableReason(step, env) };
  await env.scale(step.nodes);
  if (options.bash) retargetBashSession(options.bash, env);
  return {
    step,
    drifts: [],
    compared: false,
    notes: [`scaled from ${current} to ${step.nodes} gateway nodes (replicas: ${step.nodes}): new nodes took the running declaration and joined the balancer`, ...notes],
  };
}

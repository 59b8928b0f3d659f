// `--runtime local|containers|external`, and what happens without it: containers when Docker
// answers a quick probe, else local — said in one line, with the reason.

import { describeProbe, DEFAULT_PROBE_TIMEOUT_MS, probeDocker } from './containers/docker-endpoint.js';
import { startContainerEnvironment, type ContainerLabEnvironment } from './containers/container-environment.js';
import { connectExternalEnvironment } from './external.js';
import { startLocalEnvironment } from './local.js';
import type { LabEnvironment, UpstreamChoice } from './types.js';
import { LabkitError } from '../errors/labkit-error.js';

export type RuntimeRequest = 'auto' | 'local' | 'containers' | 'external';
export type ChosenRuntime = 'local' | 'containers' | 'external';
export const RUNTIME_REQUESTS: readonly RuntimeRequest[] = ['auto', 'local', 'containers', 'external'];

/** Any environment a command can get; collapses to LabEnvironment once RuntimeName includes 'containers'. */
export type AnyLabEnvironment = LabEnvironment | ContainerLabEnvironment;

export interface RuntimeChoice {
  runtime: ChosenRuntime;
  /** Why: "asked for" or what the Docker probe found. */
  reason: string;
}

export class RuntimeChoiceError extends LabkitError {
  constructor(message: string) {
    super('RUNTIME_UNAVAILABLE', { problem: message });
    this.name = 'RuntimeChoiceError';
  }
}

export function parseRuntimeRequest(value: string | undefined): RuntimeRequest {
  const request = value?.trim() || 'auto';
  if (!(RUNTIME_REQUESTS as readonly string[]).includes(request)) {
    throw new RuntimeChoiceError(`the runtime must be local, containers or external (or auto), not ${JSON.stringify(request)}`);
  }
  return request as RuntimeRequest;
}

export async function chooseRuntime(
  request: RuntimeRequest,
  options: { probeTimeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RuntimeChoice> {
  if (request !== 'auto') return { runtime: request, reason: `--runtime ${request}` };
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = await probeDocker({ timeoutMs, env: options.env });
  return probe.ok
    ? { runtime: 'containers', reason: describeProbe(probe, timeoutMs) }
    : { runtime: 'local', reason: describeProbe(probe, timeoutMs) };
}

/** "runtime: containers (Docker 20.10.24 answered at unix:///var/run/docker.sock)" */
export function describeRuntimeChoice(choice: RuntimeChoice): string {
  return `runtime: ${choice.runtime} (${choice.reason})`;
}

export interface OpenEnvironmentOptions {
  /** Default auto. */
  runtime?: RuntimeRequest;
  /** external only. */
  proxyUrl?: string | null;
  adminUrl?: string | null;
  /** local only: which httpbin runs (the containers runtime always runs the httpbin image). */
  upstream?: UpstreamChoice;
  onProgress?: (message: string) => void;
  /** containers only: every line of an image build, when one is needed. */
  onBuildLog?: (line: string) => void;
  /** local and containers: extra KONG_* variables for the gateway. */
  gatewayEnv?: Record<string, string>;
  probeTimeoutMs?: number;
  /** local and containers: gateway nodes behind the per-connection balancer (default 1). */
  nodes?: number;
  /** local and containers: start a Redis with the environment (else on demand). */
  redis?: boolean;
}

/** Chooses the runtime (one progress line says which and why), then starts or connects. */
export async function openLabEnvironment(options: OpenEnvironmentOptions = {}): Promise<AnyLabEnvironment> {
  const progress = options.onProgress ?? (() => undefined);
  const choice = await chooseRuntime(options.runtime ?? 'auto', { probeTimeoutMs: options.probeTimeoutMs });
  progress(describeRuntimeChoice(choice));
  switch (choice.runtime) {
    case 'external': {
      if (!options.proxyUrl || !options.adminUrl) {
        throw new RuntimeChoiceError('--runtime external needs --proxy-url URL and --admin-url URL (the gateway you run yourself)');
      }
      return connectExternalEnvironment({ proxyUrl: options.proxyUrl, adminUrl: options.adminUrl });
    }
    case 'containers':
      return startContainerEnvironment({
        onProgress: progress,
        onBuildLog: options.onBuildLog,
        gatewayEnv: options.gatewayEnv,
        probeTimeoutMs: options.probeTimeoutMs,
        nodes: options.nodes,
        redis: options.redis,
      });
    case 'local':
      return startLocalEnvironment({ upstream: options.upstream, onProgress: progress, gatewayEnv: options.gatewayEnv, nodes: options.nodes, redis: options.redis });
  }
}

// A lab's walk-through: its checks in order against a running gateway (the sync before it: session/).

import { openConnections } from '../http/index.js';
import type { Lab, LabSpec } from '../spec/types.js';
import { errorRecord, LabkitError, type ErrorRecord } from '../errors/labkit-error.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_MAX_WAIT_MS } from './rate-limit-window.js';
import { runEnvironmentStep, type StepTarget } from './environment-step.js';
import type { CheckResult, EnvironmentStepResult, LabInfo, LabResult } from './results.js';
import { runCheck, type TcpLogReader } from './run-check.js';

/** The part of a LabEnvironment the runner needs (a lab's `redis: stop|start` steps also use its Redis and nodes). */
export interface LabTarget extends StepTarget {
  proxyUrl: string;
  upstream?: { kind: string } | null;
  /** Where `tcp_log` expectations read the lines tcp-log sent (environments that run a sink). */
  tcpLogSink?: TcpLogReader | null;
  /** More than one node: behind a per-connection balancer, so each request gets a connection of its own. */
  nodes?: readonly { adminUrl: string }[];
}

export interface RunOptions {
  /**
   * What the sync did to the rate-limit counters. Only `cleared` lets a burst start at once; otherwise it first
   * waits for a fresh window. Default `kept`.
   */
  counters?: 'cleared' | 'kept' | 'unsupported';
  /** Honour retry_until (default true). */
  retries?: boolean;
  /** Longest single wait for a rate-limit window (default 65 s). */
  maxWaitMs?: number;
  requestTimeoutMs?: number;
  clock?: Clock;
  /** Called after each check, for reporters that stream. */
  onCheck?: (result: CheckResult, index: number) => void;
  /** Awaited before each check is sent (e.g. `--step` pauses there). */
  beforeCheck?: (check: LabSpec['checks'][number], index: number) => Promise<void> | void;
  /** Called before long waits. */
  onProgress?: (message: string) => void;
  /** Called after each `redis: stop|start` step. */
  onEnvironmentStep?: (result: EnvironmentStepResult) => void;
}

export function labInfo(lab: Lab | LabSpec): LabInfo {
  const known = 'id' in lab ? lab : null;
  return {
    id: known?.id ?? lab.file,
    number: known?.number ?? 0,
    slug: known?.slug ?? lab.file,
    title: lab.title,
    file: lab.file,
  };
}

export async function runLab(lab: Lab | LabSpec, target: LabTarget, options: RunOptions = {}): Promise<LabResult> {
  const started = performance.now();
  // One connection pool per walk-through, closed at the end so that nothing keeps the process alive.
  // Behind the balancer each request opens its own connection, as each curl of the page does: the
  // balancer then hands it to the next node in turn.
  const dispatcher = openConnections({ newConnectionEachRequest: (target.nodes?.length ?? 1) > 1 });
  const context = {
    proxyUrl: target.proxyUrl,
    upstreamKind: target.upstream?.kind ?? null,
    dispatcher,
    clock: options.clock ?? systemClock,
    window: { fresh: options.counters === 'cleared' },
    retries: options.retries ?? true,
    maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    requestTimeoutMs: options.requestTimeoutMs,
    onProgress: options.onProgress,
    tcpLog: target.tcpLogSink ?? null,
  };
  const checks: CheckResult[] = [];
  const steps: EnvironmentStepResult[] = [];
  let stepError: ErrorRecord | undefined;
  // The steps placed before check `index`; false when one failed (the checks after it would show nothing true).
  const stepsBefore = async (index: number): Promise<boolean> => {
    for (const step of lab.steps.filter((candidate) => candidate.beforeCheck === index)) {
      const { freshCounters, ...result } = await runEnvironmentStep(step, target);
      steps.push(result);
      options.onEnvironmentStep?.(result);
      if (!result.passed) {
        const problem = `redis: ${step.action} could not be done: ${result.error}`;
        stepError = errorRecord(new LabkitError('LAB_STEP_FAILED', { problem, location: step.position, notes: ['the checks after it were not run'] }));
        return false;
      }
      if (freshCounters) context.window.fresh = true;
    }
    return true;
  };
  try {
    for (const [index, check] of lab.checks.entries()) {
      if (!(await stepsBefore(index))) break;
      await options.beforeCheck?.(check, index);
      const result = await runCheck(check, context);
      checks.push(result);
      options.onCheck?.(result, index);
    }
    if (stepError === undefined) await stepsBefore(lab.checks.length);
  } finally {
    await dispatcher.close();
  }
  return {
    lab: labInfo(lab),
    checks,
    ...(steps.length > 0 ? { steps } : {}),
    passed: stepError === undefined && checks.every((check) => check.passed),
    durationMs: Math.round(performance.now() - started),
    waitedMs: checks.reduce((sum, check) => sum + check.waitedMs, 0),
    ...(stepError !== undefined ? { error: stepError } : {}),
  };
}

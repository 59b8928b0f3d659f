// What one load run measured, whichever load generator produced it.

import { LabkitError } from '../errors/labkit-error.js';

export interface LoadErrors {
  connect: number;
  read: number;
  write: number;
  timeout: number;
  /** Responses that were not 2xx/3xx. */
  status: number;
}

export interface LoadResult {
  tool: 'wrk' | 'autocannon' | 'paced';
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  errors: LoadErrors;
  /** Paced runs only: how late the client itself sent (p99, ms); large values mean a starved load core. */
  clientLagMsP99?: number;
  /** CPU the server under test used per completed request (µs), from /proc; absent where unreadable. */
  serverCpuUsPerRequest?: number;
  /** The same split into user and system time (from /proc/<pid>/stat, clock-tick resolution); absent where unreadable. */
  serverUserUsPerRequest?: number;
  serverSysUsPerRequest?: number;
  /** Cores the server under test kept busy on average during the run (1.0 = its whole core). */
  serverCores?: number;
}

export function totalErrors(errors: LoadErrors): number {
  return errors.connect + errors.read + errors.write + errors.timeout + errors.status;
}

export class LoadGeneratorError extends LabkitError {
  constructor(message: string) {
    super('BENCH_SETUP_FAILED', { problem: message });
    this.name = 'LoadGeneratorError';
  }
}

// Errors of the bench; each message says what failed and what to do about it.

import { LabkitError } from '../errors/labkit-error.js';

export class BenchSetupError extends LabkitError {
  /** The last lines the failing process wrote to stderr, when there were any. */
  readonly stderrTail: string;

  constructor(message: string, stderrTail = '') {
    super('BENCH_SETUP_FAILED', { problem: message, detail: stderrTail ? `--- stderr (last lines) ---\n${stderrTail}` : undefined });
    this.name = 'BenchSetupError';
    this.stderrTail = stderrTail;
  }
}

export class BenchInterruptedError extends LabkitError {
  constructor() {
    super('INTERRUPTED', { problem: 'interrupted: every process the bench started has been stopped; no figures were printed' });
    this.name = 'BenchInterruptedError';
  }
}

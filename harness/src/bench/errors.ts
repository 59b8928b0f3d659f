// Errors of the bench; each message says what failed and what to do about it.

export class BenchSetupError extends Error {
  /** The last lines the failing process wrote to stderr, when there were any. */
  readonly stderrTail: string;

  constructor(message: string, stderrTail = '') {
    super(stderrTail ? `${message}\n--- stderr (last lines) ---\n${stderrTail}` : message);
    this.name = 'BenchSetupError';
    this.stderrTail = stderrTail;
  }
}

export class BenchInterruptedError extends Error {
  constructor() {
    super('interrupted: every process the bench started has been stopped; no figures were printed');
    this.name = 'BenchInterruptedError';
  }
}

// Errors of environment start-up and connection; each message says what failed and what to do.

import { LabkitError } from '../errors/labkit-error.js';

export class EnvironmentStartError extends LabkitError {
  /** The last lines the gateway wrote to stderr, when it got that far. */
  readonly stderrTail: string;

  constructor(message: string, stderrTail = '') {
    super('ENVIRONMENT_START_FAILED', { problem: message, detail: stderrTail ? `--- gateway stderr (last lines) ---\n${stderrTail}` : undefined });
    this.name = 'EnvironmentStartError';
    this.stderrTail = stderrTail;
  }
}

export class EnvironmentConnectError extends LabkitError {
  readonly url: string;

  constructor(url: string, problem: string, hint: string) {
    super('ENVIRONMENT_UNREACHABLE', { problem: `cannot use ${url}: ${problem}`, fix: hint });
    this.name = 'EnvironmentConnectError';
    this.url = url;
  }
}

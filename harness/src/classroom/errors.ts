// Errors of the classroom commands; each message says what failed and what to do.

import { LabkitError } from '../errors/labkit-error.js';

/** `npm run up` could not start the environment; whatever it had started is stopped again. */
export class ClassroomStartError extends LabkitError {
  constructor(message: string, logTail = '', logName = '') {
    super('ENVIRONMENT_START_FAILED', { problem: message, detail: logTail ? `--- ${logName || 'log'} (last lines) ---\n${logTail}` : undefined });
    this.name = 'ClassroomStartError';
  }
}

/** A command that needs the environment of `npm run up` found none. */
export class NoEnvironmentError extends LabkitError {
  constructor(stateFile: string) {
    super('NO_ENVIRONMENT', { problem: `no environment is running (nothing recorded in ${stateFile})`, fix: 'start one with: npm run up' });
    this.name = 'NoEnvironmentError';
  }
}

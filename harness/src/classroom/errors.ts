// Errors of the classroom commands; each message says what failed and what to do.

/** `npm run up` could not start the environment; whatever it had started is stopped again. */
export class ClassroomStartError extends Error {
  constructor(message: string, logTail = '', logName = '') {
    super(logTail ? `${message}\n--- ${logName || 'log'} (last lines) ---\n${logTail}` : message);
    this.name = 'ClassroomStartError';
  }
}

/** A command that needs the environment of `npm run up` found none. */
export class NoEnvironmentError extends Error {
  constructor(stateFile: string) {
    super(`no environment is running (nothing recorded in ${stateFile}). Start one with: npm run up`);
    this.name = 'NoEnvironmentError';
  }
}

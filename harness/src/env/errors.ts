// Errors of environment start-up and connection; each message says what failed and what to do.

export class EnvironmentStartError extends Error {
  /** The last lines the gateway wrote to stderr, when it got that far. */
  readonly stderrTail: string;

  constructor(message: string, stderrTail = '') {
    super(stderrTail ? `${message}\n--- gateway stderr (last lines) ---\n${stderrTail}` : message);
    this.name = 'EnvironmentStartError';
    this.stderrTail = stderrTail;
  }
}

export class EnvironmentConnectError extends Error {
  readonly url: string;

  constructor(url: string, problem: string, hint: string) {
    super(`cannot use ${url}: ${problem}. ${hint}`);
    this.name = 'EnvironmentConnectError';
    this.url = url;
  }
}

// Errors of the container runtime; each message says what failed and what to do about it.

/** Docker does not answer, or answers in a way the harness cannot use. */
export class DockerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerUnavailableError';
  }
}

/** An image (or its base) could not be built. `log` holds the last lines the build printed. */
export class ImageBuildError extends Error {
  readonly log: string;

  constructor(message: string, log = '') {
    super(log ? `${message}\n--- last build lines ---\n${log}` : message);
    this.name = 'ImageBuildError';
    this.log = log;
  }
}

/** The containers started but did not become ready; the message carries their last log lines. */
export class ContainerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerStartError';
  }
}

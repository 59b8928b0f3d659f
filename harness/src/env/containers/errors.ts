// Errors of the container runtime; each message says what failed and what to do about it.

import { LabkitError } from '../../errors/labkit-error.js';

/** Docker does not answer, or answers in a way the harness cannot use. */
export class DockerUnavailableError extends LabkitError {
  constructor(message: string) {
    super('DOCKER_UNAVAILABLE', { problem: message });
    this.name = 'DockerUnavailableError';
  }
}

/** An image (or its base) could not be built. `log` holds the last lines the build printed. */
export class ImageBuildError extends LabkitError {
  readonly log: string;

  constructor(message: string, log = '') {
    super('IMAGE_BUILD_FAILED', { problem: message, detail: log ? `--- last build lines ---\n${log}` : undefined });
    this.name = 'ImageBuildError';
    this.log = log;
  }
}

/** The containers started but did not become ready; the message carries their last log lines. */
export class ContainerStartError extends LabkitError {
  constructor(message: string) {
    super('ENVIRONMENT_START_FAILED', { problem: message });
    this.name = 'ContainerStartError';
  }
}

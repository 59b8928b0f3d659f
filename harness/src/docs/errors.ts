// Errors of docs verification; each message says what to change.

import type { PageLocation } from './types.js';

/** The page cannot be verified as written (an unknown command, an unclosed heredoc, an output block without a command…). */
export class PageFormatError extends Error {
  readonly location: PageLocation;
  constructor(location: PageLocation, problem: string) {
    super(`${location.file}:${location.line}: ${problem}`);
    this.name = 'PageFormatError';
    this.location = location;
  }
  /** The problem without the location prefix. */
  get problem(): string {
    return this.message.slice(`${this.location.file}:${this.location.line}: `.length);
  }
}

/** The expected-failures file is malformed. */
export class ExpectedFailuresFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ExpectedFailuresFileError';
  }
}

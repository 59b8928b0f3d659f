// Errors of docs verification; each says where and what to change.

import { LabkitError } from '../errors/labkit-error.js';
import type { SourcePosition } from '../errors/source-position.js';
import type { PageLocation } from './types.js';

/** The page cannot be verified as written (an unknown command, an unclosed heredoc, an output block without a command…). */
export class PageFormatError extends LabkitError {
  declare readonly location: PageLocation;
  constructor(location: PageLocation, problem: string) {
    super('PAGE_INVALID', { problem, location });
    this.name = 'PageFormatError';
  }
}

/** The expected-failures file is malformed; `location` is the entry or field at fault. */
export class ExpectedFailuresFileError extends LabkitError {
  constructor(location: SourcePosition, problem: string, fix?: string) {
    super('EXPECTED_FAILURES_INVALID', { problem, location, fix });
    this.name = 'ExpectedFailuresFileError';
  }
}

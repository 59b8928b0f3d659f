// The errors a sync throws. Each names the declaration and, when known, where in it the problem is.

import { LabkitError, type ErrorProblem } from '../errors/labkit-error.js';
import type { ErrorCode } from '../errors/registry.js';
import type { SourcePosition } from '../errors/source-position.js';

export type { SourcePosition } from '../errors/source-position.js';

/** Where: in `file` when given (one of several merged files), else in the declaration `source`. */
export type DeclarationPosition = Pick<SourcePosition, 'line' | 'column'> & { file?: string };

export interface SyncErrorOptions {
  /** SYNC_FAILED unless said (the gateway did not answer as Kong does, the nodes disagree). */
  code?: ErrorCode;
  fix?: string;
  also?: ErrorProblem[];
  notes?: string[];
}

/** The sync could not be completed; DeclarationError when the declaration itself is at fault. */
export class SyncError extends LabkitError {
  readonly source: string;
  readonly line?: number;
  readonly column?: number;

  constructor(source: string, message: string, position?: DeclarationPosition, options: SyncErrorOptions = {}) {
    super(options.code ?? 'SYNC_FAILED', {
      problem: position ? message : `${source}: ${message}`,
      location: position ? { file: position.file ?? source, line: position.line, column: position.column } : undefined,
      fix: options.fix,
      also: options.also,
      notes: options.notes,
    });
    this.name = 'SyncError';
    this.source = source;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** The declaration cannot be synced as written: its YAML, decK's keys, its entities or their references. */
export class DeclarationError extends SyncError {
  constructor(source: string, message: string, position?: DeclarationPosition, options: Omit<SyncErrorOptions, 'code'> = {}) {
    super(source, message, position, { ...options, code: 'DECLARATION_INVALID' });
    this.name = 'DeclarationError';
  }
}

// The one error model, after Hurl's: a registry code (which fixes the exit status), the problem, where
// it is, and what to do about it. Subclasses add what their callers need; the renderer (render.ts)
// prints every one of them the same way.

import { errorCodeInfo, type ErrorCode } from './registry.js';
import { formatPosition, type SourcePosition } from './source-position.js';

export interface ErrorProblem {
  problem: string;
  location?: SourcePosition;
}

export interface LabkitErrorDetails extends ErrorProblem {
  /** What to do; the registry's fix for the code when left out. */
  fix?: string;
  /** Further problems of the same kind (a lab file with three mistakes), each printed with its own location. */
  also?: ErrorProblem[];
  /** Context printed after the problems, one note a line (why it matters, what was left unchanged). */
  notes?: string[];
  /** Lines quoted as they are (a log tail, a list of labs). */
  detail?: string;
  cause?: unknown;
}

export class LabkitError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly problem: string;
  readonly location?: SourcePosition;
  readonly fix: string;
  readonly also: ErrorProblem[];
  readonly notes: string[];
  readonly detail?: string;

  constructor(code: ErrorCode, details: LabkitErrorDetails) {
    super(plainMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LabkitError';
    this.code = code;
    this.exitCode = errorCodeInfo(code).exitCode;
    this.problem = details.problem;
    this.location = details.location;
    this.fix = details.fix ?? errorCodeInfo(code).fix;
    this.also = details.also ?? [];
    this.notes = details.notes ?? [];
    this.detail = details.detail;
  }

  /** The same error with `note` (what the command was doing) first among its notes. */
  withNote(note: string): LabkitError {
    const ownFix = this.fix === errorCodeInfo(this.code).fix ? undefined : this.fix;
    return new LabkitError(this.code, { problem: this.problem, location: this.location, fix: ownFix, also: this.also, notes: [note, ...this.notes], detail: this.detail, cause: this });
  }
}

/**
 * A LabkitError as plain data: what results carry (a lab that could not run, a page that cannot be
 * verified as written), what `--json` and JUnit reports hold, and what the renderer prints as it prints
 * the error itself.
 */
export interface ErrorRecord {
  code: ErrorCode;
  exitCode: number;
  problem: string;
  location?: SourcePosition;
  fix: string;
  also?: ErrorProblem[];
  notes?: string[];
  detail?: string;
}

export function errorRecord(error: LabkitError): ErrorRecord {
  return {
    code: error.code,
    exitCode: error.exitCode,
    problem: error.problem,
    ...(error.location ? { location: { ...error.location } } : {}),
    fix: error.fix,
    ...(error.also.length > 0 ? { also: error.also } : {}),
    ...(error.notes.length > 0 ? { notes: error.notes } : {}),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  };
}

/** Anything thrown, as a record: a LabkitError as it is, anything else under `code` with its message as the problem. */
export function recordOf(error: unknown, code: ErrorCode, note?: string): ErrorRecord {
  const labkit = error instanceof LabkitError ? error : new LabkitError(code, { problem: error instanceof Error ? error.message : String(error) });
  return errorRecord(note === undefined ? labkit : labkit.withNote(note));
}

/** `file:line:column: problem` (or the problem alone): the one line a summary (JUnit's message, a list of failures) shows. */
export function errorLine(error: Pick<ErrorRecord, 'problem' | 'location'>): string {
  return located(error);
}

function located(entry: ErrorProblem): string {
  return entry.location ? `${formatPosition(entry.location)}: ${entry.problem}` : entry.problem;
}

/**
 * The message without colour or source lines, for logs, JSON reports and `error.message` readers. The
 * registry's general fix is left to the renderer; a fix of the error's own is part of the message.
 */
function plainMessage(details: LabkitErrorDetails): string {
  const lines = [located(details), ...(details.also ?? []).map(located), ...(details.notes ?? [])];
  if (details.detail) lines.push(details.detail);
  if (details.fix) lines.push(`Fix: ${details.fix}`);
  return lines.join('\n');
}

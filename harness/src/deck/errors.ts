// The one error a sync throws. It names the declaration and, when known, where in it the problem is.

export interface SourcePosition {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export class SyncError extends Error {
  readonly source: string;
  readonly line?: number;
  readonly column?: number;

  /** `locate: false` when the message already names its positions (a list of problems). */
  constructor(source: string, message: string, position?: SourcePosition, options: { locate?: boolean } = {}) {
    const locate = options.locate ?? true;
    super(locate && position ? `${source}:${position.line}:${position.column}: ${message}` : locate ? `${source}: ${message}` : message);
    this.name = 'SyncError';
    this.source = source;
    this.line = position?.line;
    this.column = position?.column;
  }
}

// What a command writes its text to: the process's stdout or stderr (cli/process-streams.ts), or a
// test's capture. Here, low down, so that every layer that prints can take one.

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A terminal's width in columns. */
  columns?: number;
}

export const DEFAULT_WIDTH = 80;
const NARROWEST = 40;

/**
 * Columns to wrap text to: the terminal's own width, else $COLUMNS (set by shells and CI logs that
 * want a width), else 80, the width a piped reader most likely has.
 */
export function outputWidth(stream: OutputStream, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  const width = stream.isTTY && stream.columns ? stream.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
  return Math.max(width, NARROWEST);
}

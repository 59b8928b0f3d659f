// What a command writes its text to: the process's stdout or stderr (cli/process-streams.ts), or a
// test's capture. Here, low down, so that every layer that prints can take one.

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A terminal's width in columns. */
  columns?: number;
}

// Where the classroom commands write, and the exit codes they share.

import { foldRow } from '../../report/wrap.js';
import { colorEnabled, palette, type Palette } from '../../terminal/color.js';
import { outputWidth, type OutputStream } from '../../terminal/output-stream.js';

export type { OutputStream } from '../../terminal/output-stream.js';

export interface ClassroomIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read for NO_COLOR, LABKIT_STATE_DIR, LABKIT_RUNTIME, DOCKER_HOST. */
  env: NodeJS.ProcessEnv;
  /** Where the labs are (default: the repository's labs/). */
  labsDir?: string;
}

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_NOTHING_RUNNING as EXIT_NO_ENVIRONMENT } from '../../errors/exit-codes.js';

export interface Printer {
  p: Palette;
  /** Columns stdout is folded to. */
  width: number;
  say(text: string): void;
  warn(text: string): void;
}

/** Each line folded to its stream's width (a `  Term   value` row under its value), colours as the stream allows. */
export function printer(io: ClassroomIo): Printer {
  const writer = (stream: OutputStream) => {
    const width = outputWidth(stream, io.env);
    return (text: string) => void stream.write(`${(text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').flatMap((line) => foldRow(line, width)).join('\n')}\n`);
  };
  return {
    p: palette(colorEnabled(io.stdout, io.env)),
    width: outputWidth(io.stdout, io.env),
    say: writer(io.stdout),
    warn: writer(io.stderr),
  };
}

/** `12:04:31` in local time, from an ISO string. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;
}

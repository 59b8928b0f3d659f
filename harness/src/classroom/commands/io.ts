// Where the classroom commands write, and the exit codes they share.

import { colorEnabled, palette, type Palette } from '../../terminal/color.js';
import type { OutputStream } from '../../terminal/output-stream.js';

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
  say(text: string): void;
  warn(text: string): void;
}

export function printer(io: ClassroomIo): Printer {
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    p: palette(colorEnabled(io.stdout, io.env)),
    say: (text) => void io.stdout.write(line(text)),
    warn: (text) => void io.stderr.write(line(text)),
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

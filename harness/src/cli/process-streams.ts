// The process's stdout and stderr as every command writes to them: a reader that stops reading
// (`npm run lab 1 | head -3`) is the end of the output, not a crash: what runs is cleaned up and
// the command ends with status 0 (the width text is wrapped to: terminal/output-stream.ts).

import { exitAfterCleanup } from '../env/cleanup.js';
import type { OutputStream } from '../terminal/output-stream.js';

export type { OutputStream };

/** What a pipe whose reader has gone answers to a write. */
function isEndOfOutput(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

/**
 * `stream`, whose writes after the reader went are dropped; the first EPIPE calls `onEnd` (by default:
 * close every open environment, then exit 0). Any other write error still surfaces.
 */
export function endOfOutputAware(stream: NodeJS.WriteStream, onEnd: () => void = () => exitAfterCleanup(0)): OutputStream {
  let ended = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!isEndOfOutput(error)) throw error;
    if (ended) return;
    ended = true;
    onEnd();
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write(text: string) {
      if (ended) return false;
      return stream.write(text);
    },
  };
}

let streams: { stdout: OutputStream; stderr: OutputStream } | null = null;

/** The process's two streams, guarded once however many commands ask. */
export function processStreams(): { stdout: OutputStream; stderr: OutputStream } {
  streams ??= { stdout: endOfOutputAware(process.stdout), stderr: endOfOutputAware(process.stderr) };
  return streams;
}

// Reading what a detached process wrote to its log file: the line that says it is ready, and the
// last lines to quote when it is not.

import { readFileSync } from 'node:fs';

const POLL_MS = 50;

function readLines(path: string, from: number): { lines: string[]; next: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { lines: [], next: from };
  }
  // Only complete lines: the last one may still be being written.
  const end = text.lastIndexOf('\n') + 1;
  if (end <= from) return { lines: [], next: from };
  return { lines: text.slice(from, end).split('\n').slice(0, -1), next: end };
}

/** The last `count` lines of a log file that `keep` accepts ('' when there is none). */
export function logTail(path: string, count = 20, keep: (line: string) => boolean = () => true): string {
  return readLines(path, 0).lines.filter(keep).slice(-count).join('\n');
}

/** The gateway's access-log lines say nothing about why it stopped. */
export function notAccessLine(line: string): boolean {
  return !line.startsWith('{"event":"access"');
}

export type LogWaitOutcome<T> = { kind: 'found'; value: T } | { kind: 'exited' } | { kind: 'timeout' };

/**
 * Follows `path` from byte `from` until `match` returns a value for a line, the process exits, or
 * `timeoutMs` passes. `onLine` sees every line (progress relays).
 */
export async function waitForLogLine<T>(
  path: string,
  from: number,
  match: (line: string) => T | undefined,
  options: { exited: Promise<unknown>; timeoutMs: number; onLine?: (line: string) => void },
): Promise<LogWaitOutcome<T>> {
  let exited = false;
  void options.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + options.timeoutMs;
  let offset = from;
  for (;;) {
    // Read once more after an exit: the line may have been written just before it.
    const wasExited = exited;
    const { lines, next } = readLines(path, offset);
    offset = next;
    for (const line of lines) {
      options.onLine?.(line);
      const value = match(line);
      if (value !== undefined) return { kind: 'found', value };
    }
    if (wasExited) return { kind: 'exited' };
    if (Date.now() > deadline) return { kind: 'timeout' };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A JSON log line with the given `event`, or undefined. */
export function jsonEvent<T extends { event: string }>(line: string, event: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { event?: unknown };
    return parsed.event === event ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}

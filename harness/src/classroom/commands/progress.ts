// Progress of long work (environment start, image builds): each step as it happens; on a terminal
// zx's spinner turns meanwhile, elsewhere (CI logs, pipes) a "still working" line comes when nothing
// has been said for a while, so a slow laptop does not look stuck either way.

import type { Printer } from './io.js';

const HEARTBEAT_MS = 10_000;
/** Clears the spinner's line before a step is printed over it. */
const CLEAR_LINE = '\r\u001b[2K';

export type Step = (message: string) => void;

export interface ProgressOptions {
  /** Spin (zx's spinner on stderr): only when both streams are a terminal the user watches. */
  terminal: boolean;
  /** What the spinner says (default `starting…`). */
  title?: string;
  heartbeatMs?: number;
}

export async function withProgress<T>(out: Printer, options: ProgressOptions, work: (step: Step) => Promise<T>): Promise<T> {
  if (options.terminal) {
    const { spinner } = await import('zx');
    return spinner(options.title ?? 'starting…', () => work((message) => out.say(`${CLEAR_LINE}• ${message}`)));
  }
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const started = Date.now();
  let last = started;
  const timer = setInterval(() => {
    if (Date.now() - last < heartbeatMs) return;
    last = Date.now();
    out.say(out.p.dim(`  … still working (${Math.round((last - started) / 1000)} s)`));
  }, 1_000);
  timer.unref();
  try {
    return await work((message) => {
      last = Date.now();
      out.say(`• ${message}`);
    });
  } finally {
    clearInterval(timer);
  }
}

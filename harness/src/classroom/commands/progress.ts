// Progress of long work (environment start, image builds): each step as it happens, and a
// "still working" line when nothing has been said for a while, so a slow laptop does not look stuck.

import type { Printer } from './io.js';

const HEARTBEAT_MS = 10_000;

export interface Progress {
  step(message: string): void;
  stop(): void;
}

export function startProgress(out: Printer, heartbeatMs = HEARTBEAT_MS): Progress {
  const started = Date.now();
  let last = started;
  const timer = setInterval(() => {
    if (Date.now() - last < heartbeatMs) return;
    last = Date.now();
    out.say(out.p.dim(`  … still working (${Math.round((last - started) / 1000)} s)`));
  }, 1_000);
  timer.unref();
  return {
    step(message) {
      last = Date.now();
      out.say(`• ${message}`);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
